from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoachingConfig(AppConfig):
    name = "yunghap.coaching"
    label = "coaching"
    verbose_name = _("코칭")
