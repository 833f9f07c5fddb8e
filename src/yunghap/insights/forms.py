"""The statistics pages' filter bars as forms: a bad value is a Korean message beside its field.

The page then answers 400 (as `core.params.BadParameter` does for pages without a filter bar) with the
filter bar keeping what was typed, so the user sees what to correct. Years are read by the same
`core.params` functions, so the messages are the project's.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.params import BadParameter, year_param, year_range
from yunghap.network.models import ExchangeType, Federation, Industry

PERIODS = [("monthly", gettext_lazy("월별")), ("yearly", gettext_lazy("연도별"))]


class YearInput(forms.TextInput):
    """A text box, not type=number: a browser empties a number box holding "abc", and the user would not
    see what was wrong."""

    def __init__(self) -> None:
        super().__init__(attrs={"inputmode": "numeric", "maxlength": "4", "size": "6"})


class StatisticsFilterForm(forms.Form):
    """Region, exchange type and (trends) industry, period and years; or (survey, print) one year."""

    year = forms.CharField(label=gettext_lazy("조사 연도"), required=False)
    region = forms.ChoiceField(
        label=gettext_lazy("지역연합회"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("알 수 없는 지역연합회입니다: %(value)s")},
    )
    type = forms.ChoiceField(
        label=gettext_lazy("교류 유형"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("알 수 없는 교류 유형입니다: %(value)s")},
    )
    industry = forms.ChoiceField(
        label=gettext_lazy("업종(KSIC 중분류)"),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("알 수 없는 업종입니다: %(value)s")},
    )
    period = forms.ChoiceField(
        label=gettext_lazy("주기"),
        required=False,
        choices=PERIODS,
        error_messages={"invalid_choice": gettext_lazy("주기는 월별(monthly) 또는 연도별(yearly)입니다.")},
    )
    # `from` is a Python keyword: the field is added under that name in __init__.
    to = forms.CharField(label=gettext_lazy("끝 연도"), required=False, widget=YearInput())

    def __init__(
        self,
        data: Any,
        *,
        federations: list[Federation],
        national: bool,
        types: list[ExchangeType],
        industries: list[Industry] | None = None,
        years: list[int] | None = None,
        range_defaults: tuple[int, int] | None = None,
        year_default: int | None = None,
        group: bool = False,
    ) -> None:
        super().__init__(data)
        self.federations = {f.code: f for f in federations}
        self.types = {t.code: t for t in types}
        self.industries = {i.code: i for i in industries or []}
        self.years = years
        self.range_defaults = range_defaults
        self.year_default = year_default
        fields: dict[str, Any] = self.fields
        region_choices = [(f.code, f.display_name) for f in federations]
        fields["region"].choices = ([("", _("전국"))] if national else []) + region_choices
        fields["type"].choices = [("", _("전체"))] + [(t.code, t.display_name) for t in types]
        fields["industry"].choices = [("", _("전체"))] + [
            (i.code, f"{i.code} {i.display_name}") for i in industries or []
        ]
        if years is None:
            del fields["year"]
        else:
            fields["year"].widget = forms.Select(choices=[(str(y), str(y)) for y in years])
        if range_defaults is None:
            del fields["period"], fields["to"]
        else:
            fields["from"] = forms.CharField(label=_("시작 연도"), required=False, widget=YearInput())
            fields["to"] = fields.pop("to")  # after `from`
        if industries is None:
            del fields["industry"]
        if group:  # one group's page: no region, type or industry to choose
            del fields["region"], fields["type"]
        for name, field in fields.items():
            field.widget.attrs.setdefault("id", f"filter-{name}")
            field.widget.attrs["class"] = "krds-input" if name in ("from", "to") else "krds-form-select"

    # Unknown codes are a message, not a 404: the address came from a filter bar (or was typed).
    def clean_region(self) -> Federation | None:
        code = self.cleaned_data.get("region") or ""
        return self.federations.get(code)

    def clean_type(self) -> ExchangeType | None:
        return self.types.get(self.cleaned_data.get("type") or "")

    def clean_industry(self) -> Industry | None:
        return self.industries.get(self.cleaned_data.get("industry") or "")

    def clean_period(self) -> str:
        return self.cleaned_data.get("period") or "monthly"

    def clean_year(self) -> int:
        assert self.year_default is not None
        try:
            year = year_param(self.data, "year", default=self.year_default)
        except BadParameter as error:
            raise forms.ValidationError(error.message, code="bad_year") from error
        if self.years and year not in self.years:
            raise forms.ValidationError(
                _("%(year)s년 자료가 없습니다. 고를 수 있는 연도: %(years)s")
                % {"year": year, "years": ", ".join(str(y) for y in self.years)},
                code="no_such_year",
            )
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.range_defaults is not None:
            first_default, last_default = self.range_defaults
            for name, label in (("from", _("시작 연도")), ("to", _("끝 연도"))):
                try:
                    cleaned[name] = year_param(
                        self.data,
                        name,
                        default=first_default if name == "from" else last_default,
                        label=label,
                    )
                except BadParameter as error:
                    self.add_error(name, forms.ValidationError(error.message, code="bad_year"))
            if "from" in cleaned and "to" in cleaned:
                try:
                    year_range({"from": cleaned["from"], "to": cleaned["to"]}, default_from=0, default_to=0)
                except BadParameter as error:
                    self.add_error("from", forms.ValidationError(error.message, code="range_order"))
        return cleaned
