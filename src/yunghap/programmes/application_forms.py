"""Forms of the consortium and application pages. The rules are checked by the services and
`programmes.rules`; the forms only read what the user typed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput, MoneyField
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .application_services import Lines
from .rules import Budget

SOURCES = (
    ("government", _("정부지원금")),
    ("cash", _("기업부담 현금")),
    ("inkind", _("기업부담 현물")),
)


def _topic_label(topic: Any) -> str:
    return f"[{topic.code}] {topic.title}"


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _topic_label(obj)


class StartForm(OneTimeTokenMixin, forms.Form):
    """A new consortium and its draft: the lead firm (if the user has several), names and the topic."""

    name = forms.CharField(label=_("협력체명"), max_length=100)
    title = forms.CharField(label=_("과제명"), max_length=200)

    def __init__(self, *args: Any, topics: Any, firms: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"] = TopicChoiceField(
            label=_("선도과제"), queryset=topics, required=topics.exists(), empty_label=None
        )
        if firms is not None:
            self.fields["lead"] = forms.ModelChoiceField(label=_("주관기업"), queryset=firms)
            self.order_fields(["lead"])

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_title(self) -> str:
        return " ".join(self.cleaned_data["title"].split())


def line_field_name(source: str, category: Any) -> str:
    return f"{source}_{category.code}"


class BudgetMixin:
    """The budget by cost category: one MoneyField per category and source (`government_personnel`, ...).

    Categories that take no in-kind amount still read one (a typed amount is refused by the service with
    its reason) but the page draws no input for it."""

    fields: dict[str, forms.Field]
    cleaned_data: dict[str, Any]

    def add_budget_fields(self, categories: list[Any], lines: dict[int, Any] | None = None) -> None:
        self.categories = categories
        lines = lines or {}
        for category in categories:
            line = lines.get(category.pk)
            values = (
                (line.government_krw, line.firm_cash_krw, line.firm_inkind_krw)
                if line is not None
                else (0, 0, 0)
            )
            for (source, label), value in zip(SOURCES, values, strict=True):
                self.fields[line_field_name(source, category)] = MoneyField(
                    label=f"{category.display_name} {label}", required=False, initial=value
                )

    def budget_rows(self) -> list[dict[str, Any]]:
        form: Any = self
        return [
            {
                "category": category,
                "fields": [form[line_field_name(source, category)] for source, _label in SOURCES],
            }
            for category in self.categories
        ]

    def lines(self) -> Lines:
        result = {}
        for category in self.categories:
            amounts = tuple(self.cleaned_data.get(line_field_name(s, category)) or 0 for s, _l in SOURCES)
            result[category.pk] = (int(amounts[0]), int(amounts[1]), int(amounts[2]))
        return result

    def budget(self) -> Budget:
        lines = self.lines()
        return Budget(
            sum(v[0] for v in lines.values()),
            sum(v[1] for v in lines.values()),
            sum(v[2] for v in lines.values()),
        )


class ApplicationForm(BudgetMixin, VersionedFormMixin, forms.Form):
    title = forms.CharField(label=_("과제명"), max_length=200)
    starts_on = forms.DateField(label=_("사업 시작일"), required=False, widget=DateInput)
    ends_on = forms.DateField(label=_("사업 종료일"), required=False, widget=DateInput)
    summary = forms.CharField(
        label=_("요약"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    plan = forms.CharField(
        label=_("사업 계획"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(
        self, *args: Any, topics: Any, categories: list[Any], lines: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["topic"] = TopicChoiceField(
            label=_("선도과제"), queryset=topics, required=topics.exists(), empty_label=None
        )
        self.order_fields(["title", "topic", "starts_on", "ends_on", "summary", "plan"])
        self.add_budget_fields(categories, lines)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("종료일은 시작일보다 빠를 수 없습니다."))
        return cleaned

    def text_fields(self) -> list[Any]:
        return [self[name] for name in ("title", "topic", "starts_on", "ends_on", "summary", "plan")]

    def service_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": " ".join(data["title"].split()),
            "topic": data.get("topic"),
            "starts_on": data.get("starts_on"),
            "ends_on": data.get("ends_on"),
            "summary": data.get("summary", ""),
            "plan": data.get("plan", ""),
            "lines": self.lines(),
        }


class BudgetCheckForm(BudgetMixin, forms.Form):
    """The budget part alone, read by the live rule check (nothing is saved)."""

    def __init__(self, *args: Any, categories: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_budget_fields(categories)


class RespondForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("수락")), ("decline", _("거절"))])
