"""The coaching forms. Choices come from the user's scope (`coaching.scope`); rules live in the services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin
from yunghap.network.models import Firm
from yunghap.programmes.models import Topic

from .models import CoachingSession
from .scope import juniors_in_reach, session_subjects
from .services import NOTE_MAX, NOTES_MAX

STEP_ROWS = 3


def subject_choices(user: Any) -> list[tuple[str, Any]]:
    """Grouped choices `group:<id>`, `consortium:<id>`, `firm:<id>` of the coordinator's scope."""
    groups, consortia, firms = session_subjects(user)
    choices: list[tuple[str, Any]] = [("", _("선택하세요"))]
    choices.append((str(_("교류회")), [(f"group:{g.pk}", g.name) for g in groups]))
    choices.append(
        (str(_("협력체")), [(f"consortium:{c.pk}", f"{c.name} ({c.call.code})") for c in consortia[:500]])
    )
    choices.append((str(_("기업")), [(f"firm:{f.pk}", f.name) for f in firms[:2000]]))
    return choices


class SessionForm(OneTimeTokenMixin, forms.Form):
    subject = forms.ChoiceField(
        label=_("코칭 대상"), help_text=_("담당 교류회, 그 회원사, 회원사가 주관하는 협력체")
    )
    held_on = forms.DateField(label=_("코칭일"), widget=DateInput)
    kind = forms.ChoiceField(label=_("구분"), choices=CoachingSession.Kind.choices)
    notes = forms.CharField(label=_("내용"), max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 5}))
    write_note = forms.BooleanField(
        label=_("사전 기술기획 메모로도 남기기"),
        required=False,
        help_text=_("‘사전 기술기획’ 코칭만: 협력체(또는 고른 과제)의 메모가 되어 신청서에 이어집니다."),
    )
    note_topic = forms.ModelChoiceField(
        label=_("메모를 붙일 과제"), queryset=Topic.objects.none(), required=False
    )
    note_body = forms.CharField(
        label=_("메모 내용"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("비워 두면 코칭 내용을 메모로 남깁니다."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["subject"]).choices = subject_choices(user)
        cast(forms.ModelChoiceField, self.fields["note_topic"]).queryset = Topic.objects.visible_to(
            user
        ).order_by("code")
        for n in range(1, STEP_ROWS + 1):
            self.fields[f"step_{n}_text"] = forms.CharField(
                label=_("다음 할 일 %(n)s") % {"n": n}, max_length=300, required=False
            )
            self.fields[f"step_{n}_due"] = forms.DateField(
                label=_("다음 할 일 %(n)s 기한") % {"n": n}, required=False, widget=DateInput
            )
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        steps = []
        for n in range(1, STEP_ROWS + 1):
            text = (cleaned.get(f"step_{n}_text") or "").strip()
            due = cleaned.get(f"step_{n}_due")
            if text and due is None and f"step_{n}_due" not in self.errors:
                self.add_error(f"step_{n}_due", _("다음 할 일의 기한을 입력해 주세요."))
            elif due is not None and not text:
                self.add_error(f"step_{n}_text", _("기한을 적은 다음 할 일의 내용을 입력해 주세요."))
            elif text and due is not None:
                steps.append((text, due))
        cleaned["steps"] = steps
        return cleaned


class SessionEditForm(VersionedFormMixin, forms.Form):
    held_on = forms.DateField(label=_("코칭일"), widget=DateInput)
    kind = forms.ChoiceField(label=_("구분"), choices=CoachingSession.Kind.choices)
    notes = forms.CharField(label=_("내용"), max_length=NOTES_MAX, widget=forms.Textarea(attrs={"rows": 6}))


class NextStepForm(OneTimeTokenMixin, forms.Form):
    text = forms.CharField(label=_("다음 할 일"), max_length=300)
    due_on = forms.DateField(label=_("기한"), widget=DateInput)


class NoteForm(OneTimeTokenMixin, forms.Form):
    body = forms.CharField(label=_("메모"), max_length=NOTE_MAX, widget=forms.Textarea(attrs={"rows": 4}))
    topic = forms.ModelChoiceField(
        label=_("메모를 붙일 과제"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=_("협력체와의 코칭이면 비워 두어도 됩니다."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["topic"]).queryset = Topic.objects.visible_to(user).order_by(
            "code"
        )


class SettingsForm(VersionedFormMixin, forms.Form):
    quiet_days = forms.IntegerField(label=_("연락 없음 기준(일)"), min_value=1, max_value=3650)
    due_soon_days = forms.IntegerField(label=_("다음 할 일 예고(일)"), min_value=0, max_value=365)


class FirmChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.industry.code})"


class MentorshipForm(OneTimeTokenMixin, forms.Form):
    junior = FirmChoiceField(label=_("후배 기업"), queryset=Firm.objects.none())
    senior = FirmChoiceField(
        label=_("선배 기업"),
        queryset=Firm.objects.none(),
        help_text=_("협약을 마친 협력체에 참여했거나 융합기술개발 실적이 기록된 기업"),
    )
    starts_on = forms.DateField(label=_("시작일"), widget=DateInput)
    ends_on = forms.DateField(label=_("종료일"), widget=DateInput)
    goals = forms.CharField(label=_("목표"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["junior"]).queryset = (
            juniors_in_reach(user).select_related("industry").order_by("name", "pk")
        )
        # Any active firm may be named; the rule (`mentoring.pair_refusal`) says whether it is eligible.
        cast(forms.ModelChoiceField, self.fields["senior"]).queryset = (
            Firm.objects.filter(status=Firm.Status.ACTIVE).select_related("industry").order_by("name", "pk")
        )


class MentoringSessionForm(OneTimeTokenMixin, forms.Form):
    held_on = forms.DateField(label=_("만난 날"), widget=DateInput)
    notes = forms.CharField(label=_("내용"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))


class ReviewForm(OneTimeTokenMixin, forms.Form):
    body = forms.CharField(label=_("소감"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
