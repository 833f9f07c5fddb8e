from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActivitiesConfig(AppConfig):
    name = "yunghap.activities"
    label = "activities"
    verbose_name = _("교류 활동")

    def ready(self) -> None:
        # Registers the ledger's spreadsheet importers with yunghap.core.imports.
        from . import exports, imports  # noqa: F401
