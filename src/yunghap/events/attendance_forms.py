"""Forms of the attendance pages: every value is checked here on the server, then by the service's rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_SEARCH = 100
MAX_TOKEN = 400
MAX_NUMBER = 80


class SearchForm(forms.Form):
    q = forms.CharField(label=_("이름 또는 이메일"), max_length=MAX_SEARCH, required=False)


class AttendanceForm(forms.Form):
    """Staff's correction of one person's attendance at one session (absolute values: saving twice is one)."""

    minutes_present = forms.IntegerField(label=_("참석 시간(분)"), min_value=0, max_value=100_000)
    late = forms.BooleanField(label=_("지각"), required=False)
    left_early = forms.BooleanField(label=_("조퇴"), required=False)


class ScanForm(forms.Form):
    token = forms.CharField(
        label=_("입장권 코드"),
        max_length=MAX_TOKEN,
        help_text=_("카메라를 쓸 수 없을 때 입장권 아래의 코드를 입력하세요."),
    )


class VerifyForm(forms.Form):
    number = forms.CharField(
        label=_("수료증 번호"), max_length=MAX_NUMBER, help_text=_("예: SEM2026-00042-K")
    )
