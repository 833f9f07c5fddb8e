from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "yunghap.matching"
    label = "matching"
    verbose_name = _("기술파트너 매칭")

    def ready(self) -> None:
        from . import exports, imports  # noqa: F401  (registers the `postings` and `capabilities` kinds)
        from .signals import connect_signals

        connect_signals()
