"""Forms of the call pages. They check shapes (a number, a date); the rules of a call's fields live in
`call_services.validate_call`, whose Korean errors the views put on these forms."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .models import Call, CostCategory, Topic
from .models.calls import DEFAULT_RULES, RULE_FIELDS, default_criteria

CRITERIA_ROWS = 6


class PercentField(forms.DecimalField):
    """A percentage typed as `75` or `75%`."""

    default_error_messages = {"invalid": _("비율은 숫자로 입력해 주세요 (예: 75 또는 75%).")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        text = str(value).strip().rstrip("%").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not number.is_finite():
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return number

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "decimal"}


def _whole(label: Any, help_text: Any = "") -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, help_text=help_text)


class RulesForm(forms.Form):
    """The rule set and the review criteria: the fields a new call sets and a correction changes."""

    budget_krw = MoneyField(label=_("총 예산(원)"), required=False, min_value=None)
    quota = _whole(_("선정 규모(협력체 수)"))
    grant_cap_krw = MoneyField(label=_("협력체당 상한(원)"), required=False, min_value=None)
    cap_applies_to = forms.ChoiceField(label=_("상한 적용 대상"), choices=Call.CapAppliesTo.choices)
    government_share_max = PercentField(
        label=_("정부지원 최대 비율(%)"), required=False, help_text=_("총사업비 대비 정부지원금의 최대 비율")
    )
    firm_share_min = PercentField(
        label=_("기업부담 최소 비율(%)"), required=False, help_text=_("총사업비 대비 기업부담금의 최소 비율")
    )
    firm_cash_share_min = PercentField(
        label=_("기업부담 중 현금 최소 비율(%)"),
        required=False,
        help_text=_("기업부담금 가운데 현금의 최소 비율"),
    )
    min_members = _whole(_("최소 참여기업 수(주관 포함)"))
    min_divisions = _whole(_("최소 업종(KSIC 중분류) 수"))
    max_applications_per_firm = _whole(_("기업당 최대 참여 신청 수"))
    reviews_per_application = _whole(_("신청당 평가위원 수"))
    pass_score = PercentField(label=_("선정 기준 점수"), required=False, help_text=_("100점 만점"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for index in range(1, CRITERIA_ROWS + 1):
            self.fields[f"criterion_{index}_code"] = forms.CharField(
                label=_("평가 항목 %(n)s 코드") % {"n": index}, required=False, max_length=32
            )
            self.fields[f"criterion_{index}_name"] = forms.CharField(
                label=_("평가 항목 %(n)s 이름") % {"n": index}, required=False, max_length=50
            )
            self.fields[f"criterion_{index}_points"] = forms.IntegerField(
                label=_("평가 항목 %(n)s 배점") % {"n": index}, required=False
            )

    @staticmethod
    def criteria_initial(criteria: list[dict[str, Any]]) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        for index, row in enumerate(criteria[:CRITERIA_ROWS], start=1):
            initial[f"criterion_{index}_code"] = row.get("code", "")
            initial[f"criterion_{index}_name"] = row.get("name", "")
            initial[f"criterion_{index}_points"] = row.get("points")
        return initial

    @staticmethod
    def rules_initial(source: Any = None) -> dict[str, Any]:
        """The form's values: a call's, or the defaults of a new call."""
        if source is None:
            values = dict(DEFAULT_RULES)
            criteria = default_criteria()
        else:
            values = {name: getattr(source, name) for name in RULE_FIELDS}
            criteria = list(source.criteria or [])
        for name, value in values.items():
            if isinstance(value, Decimal):
                values[name] = format(value.normalize(), "f")
        return {**values, **RulesForm.criteria_initial(criteria)}

    def criteria_rows(self) -> list[dict[str, Any]]:
        """The criteria rows typed, blank rows left out (the English names kept from the call)."""
        names_en = {row.get("code"): row.get("name_en", "") for row in getattr(self, "previous_criteria", [])}
        rows = []
        for index in range(1, CRITERIA_ROWS + 1):
            code = (self.cleaned_data.get(f"criterion_{index}_code") or "").strip()
            name = (self.cleaned_data.get(f"criterion_{index}_name") or "").strip()
            points = self.cleaned_data.get(f"criterion_{index}_points")
            if not code and not name and points is None:
                continue
            rows.append({"code": code, "name": name, "name_en": names_en.get(code, ""), "points": points})
        return rows

    def rule_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {**{name: data.get(name) for name in RULE_FIELDS}, "criteria": self.criteria_rows()}

    def criteria_fields(self) -> list[list[forms.BoundField]]:
        """The criteria rows for the template: [code, name, points] bound fields per row."""
        return [
            [self[f"criterion_{index}_{part}"] for part in ("code", "name", "points")]
            for index in range(1, CRITERIA_ROWS + 1)
        ]

    def rule_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in RULE_FIELDS]


def _editions() -> list[tuple[str, str]]:
    editions = CostCategory.objects.order_by("-edition").values_list("edition", flat=True).distinct()
    return [(edition, edition) for edition in editions]


def topic_choices() -> Any:
    """Topics a call may lead with: those screened as suitable, and the leading ones."""
    return (
        Topic.objects.filter(status__in=[Topic.Status.ACCEPTED, Topic.Status.LEADING])
        .select_related("growth_engine")
        .order_by("code")
    )


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"[{obj.code}] {obj.title}"


class CallForm(OneTimeTokenMixin, VersionedFormMixin, RulesForm):
    """A new call (with its one-time token) or the edit of one that has not opened (with its version)."""

    code = forms.SlugField(
        label=_("공모 코드"),
        max_length=32,
        help_text=_("주소에 쓰이는 영문 코드 (예: rnd-2026-2). 만든 뒤에는 바꿀 수 없습니다."),
    )
    title = forms.CharField(label=_("공모명"), max_length=200)
    description = forms.CharField(
        label=_("공모 안내"), required=False, max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
    opens_on = forms.DateField(label=_("접수 시작일"), widget=DateInput(), help_text=_("한국 시간 00:00부터"))
    closes_on = forms.DateField(
        label=_("접수 마감일"), widget=DateInput(), help_text=_("한국 시간 24:00까지")
    )
    cost_category_edition = forms.ChoiceField(label=_("비목 기준 연도"))
    topics = TopicChoiceField(
        label=_("선도과제"),
        queryset=Topic.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("적합 판정을 받은 과제와 선도과제 가운데 고릅니다. 고른 과제는 선도과제로 지정됩니다."),
    )

    def __init__(self, *args: Any, call: Call | None = None, **kwargs: Any) -> None:
        if call is not None:
            kwargs.setdefault("version", call.version)
            kwargs.setdefault("one_time", False)
            initial = {
                "title": call.title,
                "description": call.description,
                "opens_on": call.opens_on,
                "closes_on": call.closes_on,
                "cost_category_edition": call.cost_category_edition,
                "topics": list(call.topics.all()),
                **self.rules_initial(call),
            }
        else:
            kwargs.setdefault("one_time", True)
            initial = {"cost_category_edition": "2026", **self.rules_initial()}
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.previous_criteria = list(call.criteria or []) if call is not None else default_criteria()
        if call is not None:
            del self.fields["code"]
        edition = self.fields["cost_category_edition"]
        assert isinstance(edition, forms.ChoiceField)
        edition.choices = _editions()
        topics = self.fields["topics"]
        assert isinstance(topics, forms.ModelMultipleChoiceField)
        queryset = topic_choices()
        if call is not None:
            queryset = (queryset | Topic.objects.filter(calls=call)).distinct()
        topics.queryset = queryset
        self.order_fields(
            ["code", "title", "description", "opens_on", "closes_on", *RULE_FIELDS, "cost_category_edition"]
        )

    def info_fields(self) -> list[forms.BoundField]:
        names = ["code", "title", "description", "opens_on", "closes_on"]
        return [self[name] for name in names if name in self.fields]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        names = ("code", "title", "description", "opens_on", "closes_on", "cost_category_edition")
        fields: dict[str, Any] = {name: data.get(name) for name in names if name in self.fields}
        return {**fields, **self.rule_values(), "topics": list(data.get("topics") or [])}


class CorrectionForm(VersionedFormMixin, RulesForm):
    """A correction of an opened call: the rules as they should be, and why."""

    reason = forms.CharField(
        label=_("정정 사유"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("신청 기업이 볼 수 있도록 공모 화면의 개정 이력에 함께 표시됩니다."),
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        kwargs.setdefault("version", call.version)
        kwargs["initial"] = {**self.rules_initial(call), **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.previous_criteria = list(call.criteria or [])

    def service_fields(self) -> dict[str, Any]:
        return {**self.rule_values(), "reason": self.cleaned_data.get("reason", "")}
