"""Forms of the introduction workflow, one per move that asks for something, validated on the server."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.onetime import OneTimeTokenMixin

from .workflow import DEFAULT_RESPONSE_DAYS, Outcome


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class IntroduceForm(OneTimeTokenMixin, forms.Form):
    """The '소개하기' button: a need of a caseload firm and the recommended partner."""

    need = forms.IntegerField(widget=forms.HiddenInput)
    partner = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("소개 글(선택)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    respond_by = forms.DateField(label=_("응답 기한"), required=False, widget=DateInput)

    def clean_respond_by(self):
        return self.cleaned_data["respond_by"] or (
            timezone.localdate() + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)
        )


class EmptyForm(forms.Form):
    pass


class AnswerForm(forms.Form):
    message = forms.CharField(
        label=_("메시지(선택)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExtendForm(forms.Form):
    respond_by = forms.DateField(label=_("새 응답 기한"), widget=DateInput)


class MeetingForm(forms.Form):
    meeting_at = forms.DateTimeField(
        label=_("미팅 일시"), widget=DateTimeInput, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
    )
    place = forms.CharField(label=_("장소"), required=False, max_length=200)


class MetForm(forms.Form):
    met_on = forms.DateField(label=_("미팅일"), widget=DateInput)
    note = forms.CharField(
        label=_("미팅 메모"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("성과"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("성과 내용"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class FollowUpForm(forms.Form):
    outcome = forms.ChoiceField(label=_("6개월 뒤 성과"), choices=Outcome.choices)
    note = forms.CharField(
        label=_("그동안의 결과"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("철회 사유"), required=False, max_length=500)
