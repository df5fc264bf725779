from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("Units and members")

    def ready(self):
        from members import security_log

        security_log.connect_lockouts()
