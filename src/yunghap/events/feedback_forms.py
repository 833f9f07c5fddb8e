"""The satisfaction survey form: four 1–5 items and a free comment (Korean messages; server-validated)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .models.feedback import COMMENT_MAX, ITEMS, MIN_ANSWERS_FLOOR, SCORE_MAX, SCORE_MIN

SCORE_CHOICES = [
    (5, _("5 매우 그렇다")),
    (4, _("4 그렇다")),
    (3, _("3 보통이다")),
    (2, _("2 그렇지 않다")),
    (1, _("1 전혀 그렇지 않다")),
]
QUESTIONS = {
    "instructor": _("강사의 설명은 이해하기 쉽고 충실했습니까?"),
    "materials": _("교육 자료는 도움이 되었습니까?"),
    "goal_met": _("교육(행사)의 목표가 달성되었습니까?"),
    "facilities": _("시설과 환경(온라인이면 접속 환경)은 적절했습니까?"),
}


class FeedbackForm(OneTimeTokenMixin, forms.Form):
    comment = forms.CharField(
        label=_("의견(선택)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "이름 등 본인을 알 수 있는 내용은 쓰지 말아 주세요. 의견은 주최 측에 익명으로 전달됩니다."
        ),
        error_messages={"max_length": _("의견은 %(limit_value)s자 이내로 써 주세요.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scored: dict[str, forms.Field] = {}
        for item, label in ITEMS:
            scored[item] = forms.TypedChoiceField(
                label=f"{label} — {QUESTIONS[item]}",
                choices=SCORE_CHOICES,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("'%(item)s' 문항에 답해 주세요.") % {"item": label},
                    "invalid_choice": _("'%(item)s' 문항은 %(low)s~%(high)s점 중에서 골라 주세요.")
                    % {"item": label, "low": SCORE_MIN, "high": SCORE_MAX},
                },
            )
        # The items first, then the comment, then the hidden token.
        self.fields = {**scored, **{k: v for k, v in self.fields.items() if k not in scored}}


class SurveySettingsForm(VersionedFormMixin, forms.Form):
    """The managers' settings of an event's survey (an edit: version-checked, no one-time token)."""

    min_answers = forms.IntegerField(
        label=_("결과 공개 최소 응답 수"),
        min_value=MIN_ANSWERS_FLOOR,
        max_value=100,
        help_text=_("응답이 이보다 적으면 결과를 보여 주지 않습니다. 3 이상이어야 합니다."),
        error_messages={
            "min_value": _("최소 응답 수는 %(limit_value)s 이상이어야 합니다(소규모 응답자 식별 방지)."),
            "max_value": _("최소 응답 수는 %(limit_value)s 이하로 정해 주세요."),
            "required": _("최소 응답 수를 입력해 주세요."),
            "invalid": _("최소 응답 수는 숫자로 입력해 주세요."),
        },
    )
    open_days = forms.IntegerField(
        label=_("응답 기간(일)"),
        min_value=1,
        max_value=90,
        help_text=_("마지막 회차가 끝난 때부터 며칠 동안 답을 받을지"),
        error_messages={
            "min_value": _("응답 기간은 %(limit_value)s일 이상이어야 합니다."),
            "max_value": _("응답 기간은 %(limit_value)s일 이하로 정해 주세요."),
            "required": _("응답 기간을 입력해 주세요."),
            "invalid": _("응답 기간은 숫자로 입력해 주세요."),
        },
    )
