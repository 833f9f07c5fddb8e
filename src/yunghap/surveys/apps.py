from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "yunghap.surveys"
    label = "surveys"
    verbose_name = _("실태조사")

    def ready(self) -> None:
        from . import exports, imports  # noqa: F401  (registers the `survey` importer)
