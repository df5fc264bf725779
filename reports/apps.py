from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The audit actions are registered where the services that record them live.
        from reports import caching, services  # noqa: F401

        caching.install()
