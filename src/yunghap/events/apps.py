from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "yunghap.events"
    label = "events"
    verbose_name = _("교육·행사")

    def ready(self) -> None:
        from . import attendance_imports  # noqa: F401  (registers the `attendance` importer)
