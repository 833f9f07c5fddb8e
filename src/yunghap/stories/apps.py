from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StoriesConfig(AppConfig):
    name = "yunghap.stories"
    label = "stories"
    verbose_name = _("성공사례")
