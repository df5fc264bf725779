from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Emulation campaigns and awards")

    def ready(self):
        # The audit actions are registered when the services are imported.
        from campaigns import handlers, services  # noqa: F401
