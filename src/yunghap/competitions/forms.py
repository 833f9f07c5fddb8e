"""The competition forms. Choices come from the user's scope; the rules live in `competitions.services`."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from yunghap.core.components import DateInput
from yunghap.core.korean import fill
from yunghap.core.onetime import OneTimeTokenMixin
from yunghap.core.versions import VersionedFormMixin

from .models import Criterion, Entry
from .services import CriterionInput, entrant_choices

MAX_ROWS = 20
DIGITS = re.compile(r"^[0-9]{1,4}$")


def _lines(value: str) -> list[tuple[int, list[str]]]:
    return [
        (n, [part.strip() for part in line.split(",")])
        for n, line in enumerate(value.splitlines(), start=1)
        if line.strip()
    ]


def _number(text: str, line: int, low: int, high: int) -> int:
    if not DIGITS.match(text) or not low <= int(text) <= high:
        raise ValidationError(
            fill(
                _("%(line)s번째 줄: %(low)s부터 %(high)s까지의 정수를 적어 주세요."),
                {"line": line, "low": low, "high": high},
            )
        )
    return int(text)


class SetupForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    entry_opens = forms.DateField(label=_("출품 시작일"), widget=DateInput)
    entry_closes = forms.DateField(label=_("출품 마감일"), widget=DateInput)
    reviews_per_entry = forms.IntegerField(
        label=_("출품작당 평가위원 수"), min_value=1, max_value=10, initial=3
    )
    criteria = forms.CharField(
        label=_("평가 항목"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text=_("한 줄에 하나씩 '항목명, 가중치, 만점'(예: 기술성, 40, 10). 가중치의 합은 100입니다."),
    )
    prizes = forms.CharField(
        label=_("시상 내역"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("한 줄에 하나씩 '순위, 상 이름'(예: 1, 대상)."),
    )

    def clean_criteria(self) -> list[CriterionInput]:
        rows = []
        lines = _lines(self.cleaned_data["criteria"])
        if len(lines) > MAX_ROWS:
            raise ValidationError(fill(_("평가 항목은 %(max)s개까지입니다."), {"max": MAX_ROWS}))
        for n, parts in lines:
            if len(parts) != 3 or not parts[0]:
                raise ValidationError(
                    fill(_("%(line)s번째 줄: '항목명, 가중치, 만점'으로 적어 주세요."), {"line": n})
                )
            if len(parts[0]) > 100:
                raise ValidationError(fill(_("%(line)s번째 줄: 항목명은 100자까지입니다."), {"line": n}))
            rows.append(CriterionInput(parts[0], _number(parts[1], n, 1, 100), _number(parts[2], n, 1, 100)))
        return rows

    def clean_prizes(self) -> list[tuple[int, str]]:
        rows = []
        lines = _lines(self.cleaned_data["prizes"])
        if len(lines) > MAX_ROWS:
            raise ValidationError(fill(_("시상 내역은 %(max)s개까지입니다."), {"max": MAX_ROWS}))
        for n, parts in lines:
            if len(parts) != 2 or not parts[1] or len(parts[1]) > 60:
                raise ValidationError(
                    fill(
                        _("%(line)s번째 줄: '순위, 상 이름'으로 적어 주세요(상 이름 60자까지)."), {"line": n}
                    )
                )
            rows.append((_number(parts[0], n, 1, MAX_ROWS), parts[1]))
        return rows


def criteria_text(criteria: Any) -> str:
    return "\n".join(f"{c.name}, {c.weight}, {c.max_points}" for c in criteria)


def prizes_text(prizes: Any) -> str:
    return "\n".join(f"{p.rank}, {p.name}" for p in prizes)


class EntryForm(OneTimeTokenMixin, VersionedFormMixin, forms.Form):
    entrant = forms.ChoiceField(
        label=_("출품 주체"), help_text=_("회장(임원)인 교류회, 또는 주관기업인 협력체")
    )
    title = forms.CharField(label=_("출품작명"), max_length=200)
    summary = forms.CharField(label=_("요약"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(
        self, *args: Any, user: Any = None, competition: Any = None, entry: Entry | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if entry is not None:  # an edit: the entrant does not change
            del self.fields["entrant"]
            self.groups: dict[int, Any] = {}
            self.consortia: dict[int, Any] = {}
            return
        # Every entrant the user speaks for: one that entered already is refused by the service (so that a
        # repeated submit of the same form still finds its first answer).
        groups, consortia = entrant_choices(user)
        self.groups = {g.pk: g for g in groups}
        self.consortia = {c.pk: c for c in consortia}
        choices: list[tuple[str, Any]] = [("", _("선택하세요"))]
        if groups:
            choices.append((str(_("교류회")), [(f"group:{g.pk}", g.name) for g in groups]))
        if consortia:
            choices.append(
                (str(_("협력체")), [(f"consortium:{c.pk}", f"{c.name} ({c.call.code})") for c in consortia])
            )
        self.fields["entrant"].choices = choices  # type: ignore[attr-defined]

    def clean_entrant(self) -> tuple[Any, Any]:
        kind, _sep, raw = self.cleaned_data["entrant"].partition(":")
        pk = int(raw) if re.fullmatch(r"[0-9]{1,12}", raw) else 0
        if kind == "group" and pk in self.groups:
            return self.groups[pk], None
        if kind == "consortium" and pk in self.consortia:
            return None, self.consortia[pk]
        raise ValidationError(_("고를 수 있는 교류회나 협력체가 아닙니다."))


class ManualAssignForm(forms.Form):
    entry = forms.ModelChoiceField(label=_("출품작"), queryset=Entry.objects.none())
    reviewer = forms.ModelChoiceField(label=_("평가위원"), queryset=Entry.objects.none())

    def __init__(self, *args: Any, competition: Any, pool: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].queryset = competition.entries.filter(status=Entry.Status.SUBMITTED)  # type: ignore[attr-defined]
        self.fields["reviewer"].queryset = pool  # type: ignore[attr-defined]


class ScoreForm(forms.Form):
    """Points and a comment for every criterion of the competition (both required)."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"points_{c.pk}"] = forms.DecimalField(
                label=fill(
                    _("%(name)s 점수 (0~%(max)s점, 가중치 %(weight)s)"),
                    {"name": c.name, "max": c.max_points, "weight": c.weight},
                ),
                min_value=0,
                max_value=c.max_points,
                decimal_places=1,
                max_digits=5,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=fill(_("%(name)s 평가 의견"), {"name": c.name}),
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def scores(self) -> dict[int, tuple[Any, str]]:
        data = self.cleaned_data
        return {c.pk: (data[f"points_{c.pk}"], data[f"comment_{c.pk}"]) for c in self.criteria}
