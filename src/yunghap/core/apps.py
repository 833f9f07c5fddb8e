from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "yunghap.core"
    label = "core"
    verbose_name = _("공통")

    def ready(self) -> None:
        from . import lookups

        lookups.register()
