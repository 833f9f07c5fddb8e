from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntroductionsConfig(AppConfig):
    name = "yunghap.introductions"
    label = "introductions"
    verbose_name = _("기술파트너 소개")
