"""Forms of the review pages: the reviewer pool (edit, declared conflicts), assignment, declaration, scoring,
recusal."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.confirm import ConfirmForm
from yunghap.core.korean import fill
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.validators import brn_is_valid, normalize_brn
from yunghap.core.versions import VersionedFormMixin

from .models import Application, GrowthEngine, Reviewer
from .review_services import points_text

NO_CONFLICT = "none"


def _firm_by_brn(value: str) -> Any:
    from yunghap.network.models import Firm

    brn = normalize_brn(value)
    if not brn_is_valid(brn):
        raise ValidationError(_("사업자등록번호가 올바르지 않습니다: %(brn)s") % {"brn": value})
    firm = Firm.objects.filter(brn=brn).first()
    if firm is None:
        raise ValidationError(_("등록되지 않은 기업입니다: %(brn)s") % {"brn": value})
    return firm


class ReviewerFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("이름·소속 검색"), required=False, max_length=100)
    engine = forms.ModelChoiceField(
        label=gettext_lazy("전문 분야(신성장동력)"),
        queryset=GrowthEngine.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=gettext_lazy("전체"),
    )


ACTIVE_CHOICES = [("active", gettext_lazy("위촉 중")), ("inactive", gettext_lazy("해촉"))]


class ReviewerForm(VersionedFormMixin, forms.Form):
    affiliation_brn = forms.CharField(
        label=gettext_lazy("소속 기업 사업자등록번호"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("회원사 등 등록된 기업에 소속된 경우만 입력합니다."),
    )
    affiliation_name = forms.CharField(label=gettext_lazy("소속 기관명"), required=False, max_length=100)
    expertise_engines = forms.ModelMultipleChoiceField(
        label=gettext_lazy("전문 분야(신성장동력)"),
        queryset=GrowthEngine.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expertise_capabilities: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=gettext_lazy("전문 역량"), queryset=GrowthEngine.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("위촉 상태"), choices=ACTIVE_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from yunghap.matching.models import Capability

        self.fields["expertise_capabilities"].queryset = Capability.objects.order_by("name")  # type: ignore[attr-defined]

    def clean_affiliation_brn(self) -> Any:
        value = (self.cleaned_data.get("affiliation_brn") or "").strip()
        return _firm_by_brn(value) if value else None

    @classmethod
    def initial_of(cls, reviewer: Reviewer) -> dict[str, Any]:
        return {
            "affiliation_brn": reviewer.affiliation.brn if reviewer.affiliation else "",
            "affiliation_name": reviewer.affiliation_name,
            "expertise_engines": list(reviewer.expertise_engines.all()),
            "expertise_capabilities": list(reviewer.expertise_capabilities.all()),
            "status": "active" if reviewer.is_active else "inactive",
        }


class DeclaredConflictForm(OneTimeTokenMixin, forms.Form):
    firm_brn = forms.CharField(label=gettext_lazy("기업 사업자등록번호"), max_length=20)
    reason = forms.CharField(label=gettext_lazy("사유"), max_length=300, required=False)

    def clean_firm_brn(self) -> Any:
        return _firm_by_brn(self.cleaned_data["firm_brn"])


class AssignForm(OneTimeTokenMixin, forms.Form):
    application = forms.ModelChoiceField(label=gettext_lazy("신청서"), queryset=Application.objects.none())
    reviewer = forms.ModelChoiceField(label=gettext_lazy("평가위원"), queryset=Reviewer.objects.none())

    def __init__(self, *args: Any, call: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .review_services import active_reviewers, reviewable_applications

        self.fields["application"].queryset = reviewable_applications(call)  # type: ignore[attr-defined]
        self.fields["reviewer"].queryset = active_reviewers()  # type: ignore[attr-defined]


class DeclareForm(OneTimeTokenMixin, forms.Form):
    """No conflict, or a conflict with one member firm (then a reason)."""

    answer = forms.ChoiceField(label=gettext_lazy("이해충돌 여부"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("이해충돌 사유"),
        required=False,
        max_length=300,
        help_text=gettext_lazy("이해충돌이 있다고 답할 때 적어 주세요."),
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {str(m.pk): m for m in members}
        answer = self.fields["answer"]
        assert isinstance(answer, forms.ChoiceField)
        answer.choices = [(NO_CONFLICT, _("이해충돌이 없습니다."))] + [
            (str(m.pk), fill(_("%(firm)s과(와) 이해충돌이 있습니다."), {"firm": m.name})) for m in members
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        answer = cleaned.get("answer")
        if answer and answer != NO_CONFLICT:
            cleaned["firm"] = self.members[answer]
            if not (cleaned.get("reason") or "").strip():
                self.add_error("reason", _("이해충돌 사유를 입력해 주세요."))
        return cleaned


class ScoreForm(OneTimeTokenMixin, forms.Form):
    """Points per criterion of the call (each 0..its points) and a comment (required)."""

    comment = forms.CharField(label=gettext_lazy("평가 의견"), widget=forms.Textarea, max_length=4000)

    def __init__(self, *args: Any, criteria: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            points = Decimal(str(criterion.get("points", 0)))
            name = criterion.get("name") or criterion["code"]
            fields[f"criterion_{criterion['code']}"] = forms.DecimalField(
                label=_("%(name)s (0~%(points)s점)") % {"name": name, "points": points_text(points)},
                min_value=Decimal(0),
                max_value=points,
                max_digits=5,
                decimal_places=2,
            )
        comment = self.fields.pop("comment")
        token = {k: v for k, v in self.fields.items() if k != "comment"}
        self.fields = {**fields, "comment": comment, **token}  # type: ignore[assignment]

    def criterion_scores(self) -> dict[str, Any]:
        return {c["code"]: self.cleaned_data.get(f"criterion_{c['code']}") for c in self.criteria}


class RecuseForm(ConfirmForm):
    reason = forms.CharField(label=gettext_lazy("회피 사유"), max_length=300)


class UnassignForm(ConfirmForm):
    pass
