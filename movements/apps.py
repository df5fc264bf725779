from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "movements"
    verbose_name = _("The movement year")

    def ready(self):
        # The audit actions are registered where the services that record them live.
        from movements import services  # noqa: F401
