from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "yunghap.network"
    label = "network"
    verbose_name = _("교류 네트워크")

    def ready(self) -> None:
        # Registers the registry's importers and exporters with the core framework.
        from . import exports, imports, pagecache, selectors  # noqa: F401

        pagecache.connect_signals()  # cached pages dropped on a write
        selectors.connect_signals()  # cached reference choices dropped on a write
