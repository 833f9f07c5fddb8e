from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "yunghap.events"
    label = "events"
    verbose_name = _("교육·행사")

    def ready(self) -> None:
        # Registers the importers with yunghap.core.imports: `events`, `sessions`, `registrations`
        # (bulk_imports) and `attendance` (attendance_imports).
        from . import attendance_imports, bulk_imports  # noqa: F401
