from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "yunghap.api"
    label = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # The compatibility endpoints' error shape must be registered before the first request, which a
        # middleware may refuse (a NUL byte) before the URLconf, and so the API, is ever imported.
        from .routers.compat import register_error_shape

        register_error_shape()
