"""The form that makes an API token (the token pages; the `yunghap token` command checks the same rules
through `check_expiry`)."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.onetime import OneTimeTokenMixin

from .tokens import validate_addresses

DEFAULT_DAYS = 365


class DateInput(forms.DateInput):
    input_type = "date"


def latest_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=settings.API_TOKEN_MAX_DAYS)


def default_expiry() -> datetime.date:
    return min(timezone.localdate() + datetime.timedelta(days=DEFAULT_DAYS), latest_expiry())


def check_expiry(value: datetime.date) -> datetime.date:
    """An expiry from today up to API_TOKEN_MAX_DAYS ahead; a Korean ValidationError otherwise."""
    if value < timezone.localdate():
        raise ValidationError(_("만료일은 오늘이나 그 이후여야 합니다."), code="past")
    latest = latest_expiry()
    if value > latest:
        raise ValidationError(
            _("만료일은 %(date)s까지 정할 수 있습니다.") % {"date": latest.isoformat()}, code="too_late"
        )
    return value


class TokenCreateForm(OneTimeTokenMixin, forms.Form):
    name = forms.CharField(
        label=_("이름"),
        max_length=100,
        help_text=_("어디에 쓰는 토큰인지 적어 두면 나중에 알아보기 쉽습니다."),
        error_messages={"required": _("토큰 이름을 입력해 주세요.")},
    )
    can_write = forms.BooleanField(
        label=_("쓰기 허용"),
        required=False,
        help_text=_("끄면 읽기만 할 수 있습니다. 쓰기는 내 계정이 고칠 수 있는 자료에만 됩니다."),
    )
    expires_on = forms.DateField(
        label=_("만료일"),
        widget=DateInput,
        initial=default_expiry,
        help_text=_("이 날까지 쓸 수 있습니다 (YYYY-MM-DD)."),
        error_messages={
            "required": _("만료일을 입력해 주세요."),
            "invalid": _("만료일은 YYYY-MM-DD 형식으로 입력해 주세요."),
        },
    )
    allowed_addresses = forms.CharField(
        label=_("허용 IP"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("한 줄에 IP 주소나 CIDR 범위(예: 203.0.113.0/24) 하나. 비우면 어디서나 쓸 수 있습니다."),
    )

    def clean_expires_on(self) -> datetime.date:
        return check_expiry(self.cleaned_data["expires_on"])

    def clean_allowed_addresses(self) -> str:
        text: str = self.cleaned_data["allowed_addresses"]
        bad = validate_addresses(text)
        if bad:
            raise ValidationError(
                _("IP 주소나 CIDR 범위가 아닙니다: %(entries)s") % {"entries": ", ".join(bad[:5])},
                code="address",
            )
        return "\n".join(line.strip() for line in text.splitlines() if line.strip())
