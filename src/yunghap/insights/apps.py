from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "yunghap.insights"
    label = "insights"
    verbose_name = _("통계")

    def ready(self) -> None:
        from .signals import connect_signals

        connect_signals()
