from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProposalsConfig(AppConfig):
    name = "yunghap.proposals"
    label = "proposals"
    verbose_name = _("제도개선 건의")
