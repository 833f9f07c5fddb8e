"""`yunghap export survey FILE`: the survey answers in the survey importer's columns, so that a year's file
re-imports unchanged (`yunghap import survey FILE --year YYYY`). `?year=` (or the list's filter) picks a year."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.core.exports import Exporter, register_exporter
from yunghap.network.permissions import can_transfer_data

from .imports import VALUE_FIELDS, SurveyImporter
from .models import SurveyResponse

CHUNK = 2000


class SurveyExportFilterForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("조사 연도"), required=False, min_value=1989, max_value=2100)

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


@register_exporter
class SurveyExporter(Exporter):
    kind = "survey"
    label = SurveyImporter.label
    columns = SurveyImporter.columns
    object_type = "surveys.surveyresponse"
    filter_form = SurveyExportFilterForm

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or can_transfer_data(user)

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        answers = SurveyResponse.objects.all() if user is None else SurveyResponse.objects.visible_to(user)
        # Submitted answers only: a draft is not an answer yet (and would re-import as submitted).
        answers = answers.filter(status=SurveyResponse.Status.SUBMITTED)
        if filters and filters.get("year"):
            answers = answers.filter(survey__year=filters["year"])
        fields = ("group__code", "survey__year", *VALUE_FIELDS)
        for row in (
            answers.order_by("survey__year", "group__code").values_list(*fields).iterator(chunk_size=CHUNK)
        ):
            code, year, *values = row
            yield [code, year, *(_yes_no(v) if isinstance(v, bool) else v for v in values)]


def _yes_no(value: bool) -> str:
    return _("예") if value else _("아니오")
