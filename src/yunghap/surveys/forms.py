from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.confirm import ConfirmForm
from yunghap.core.onetime import OneTimeTokenMixin

from .models import SurveyResponse
from .services import ANSWER_FIELDS, REOPEN_REASON_MAX


class OpenSurveyForm(OneTimeTokenMixin, forms.Form):
    year = forms.IntegerField(
        label=_("조사 연도"),
        min_value=1989,
        error_messages={
            "required": _("조사 연도를 입력해 주세요."),
            "invalid": _("연도는 숫자로 입력해 주세요."),
        },
    )
    deadline = forms.DateField(
        label=_("응답 마감일"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("YYYY-MM-DD 형식으로 입력해 주세요.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].error_messages["min_value"] = _("조사 연도는 1989년 이후여야 합니다.")


class ResponseForm(OneTimeTokenMixin, forms.ModelForm):
    """The answer form; the first save creates the answer, so a form without one carries a one-time token."""

    class Meta:
        model = SurveyResponse
        fields = list(ANSWER_FIELDS)
        field_classes = {"trades_amount_krw": MoneyField}
        widgets = {
            "difficulties": forms.Textarea(attrs={"rows": 3}),
            "support_needs": forms.Textarea(attrs={"rows": 3}),
            "attendance_rate": forms.NumberInput(attrs={"step": "0.1", "min": "0", "max": "100"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        messages = {
            "invalid": _("숫자를 입력해 주세요."),
            "min_value": _("0 이상이어야 합니다."),
            "max_value": _("값이 너무 큽니다."),
            "max_digits": _("참석률은 0~100 사이로, 소수점 한 자리까지 입력해 주세요."),
            "max_decimal_places": _("소수점 한 자리까지 입력해 주세요."),
            "max_whole_digits": _("참석률은 0~100 사이여야 합니다."),
        }
        for field in self.fields.values():
            field.error_messages.update(messages)
        self.fields["trades_amount_krw"].error_messages["invalid"] = MoneyField.default_error_messages[
            "invalid"
        ]
        self.fields["attendance_rate"].error_messages["max_value"] = _("참석률은 0~100 사이여야 합니다.")
        self.fields["meetings"].error_messages["max_value"] = _("1년에 366회를 넘을 수 없습니다.")

    def _post_clean(self) -> None:
        # Model validation (uniqueness, the survey) is the service's job, with its own messages.
        pass


class ReopenForm(ConfirmForm):
    """ "수정 요청": the reason is required and is sent to the group's officers."""

    reason = forms.CharField(
        label=_("수정 요청 사유"),
        max_length=REOPEN_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("교류회 임원에게 알림으로 전달됩니다. 고쳐야 할 항목과 이유를 적어 주세요."),
        error_messages={"required": _("수정 요청 사유를 입력해 주세요.")},
    )


class RemindForm(ConfirmForm):
    """The reminder confirmation carries the region it was asked for."""

    region = forms.CharField(widget=forms.HiddenInput, required=False)
