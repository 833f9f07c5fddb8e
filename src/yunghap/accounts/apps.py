from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "yunghap.accounts"
    label = "accounts"
    verbose_name = _("계정")

    def ready(self) -> None:
        from .sessions import connect_signals

        connect_signals()  # the receiver that stamps the sign-in time
