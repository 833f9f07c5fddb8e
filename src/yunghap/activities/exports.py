"""Spreadsheet exports of the ledger — meetings with their attendance, trades, R&D results and other
activities — in the importers' columns, so that each re-imports unchanged (`yunghap export meetings F`).

A list page's download names its group (`?group=CODE`) and, optionally, a year (`?year=2025`); both are
read by `LedgerFilterForm`, and the rows are those the user may see (`visible_to`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from yunghap.core.exports import Exporter, register_exporter
from yunghap.network.models import Firm
from yunghap.network.permissions import can_transfer_data

from .imports import ActivityImporter, MeetingImporter, OutcomeImporter, TradeImporter
from .models import Activity, Attendance, Meeting, Outcome, Trade

CHUNK = 2000


class LedgerFilterForm(forms.Form):
    group = forms.SlugField(label=_("교류회코드"), required=False, max_length=32)
    year = forms.IntegerField(label=_("연도"), required=False, min_value=1989, max_value=2100)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.cleaned_data.items() if value}


def _joined(brns: list[str]) -> str:
    return ";".join(sorted(brns))


class LedgerExporter(Exporter):
    model: Any
    date_field: str
    filter_form = LedgerFilterForm

    @classmethod
    def allowed(cls, user: Any) -> bool:
        return user is None or can_transfer_data(user)

    def entries(self, user: Any, filters: dict[str, Any] | None) -> Any:
        entries = self.model.objects.all() if user is None else self.model.objects.visible_to(user)
        filters = filters or {}
        if filters.get("group"):
            entries = entries.filter(group__code=filters["group"])
        if filters.get("year"):
            entries = entries.filter(**{f"{self.date_field}__year": filters["year"]})
        return entries.order_by("group__code", self.date_field, "pk")


@register_exporter
class MeetingExporter(LedgerExporter):
    kind = "meetings"
    label = MeetingImporter.label
    columns = MeetingImporter.columns
    object_type = "activities.meeting"
    model = Meeting
    date_field = "held_on"

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        meetings = self.entries(user, filters)
        sheets: dict[int, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
        for meeting_id, brn, was_present in Attendance.objects.filter(meeting__in=meetings).values_list(
            "meeting_id", "firm__brn", "present"
        ):
            sheets[meeting_id][0 if was_present else 1].append(brn)
        fields = ("id", "group__code", "held_on", "kind", "place", "agenda", "minutes")
        for pk, code, held_on, kind, place, agenda, minutes in meetings.values_list(*fields).iterator(
            chunk_size=CHUNK
        ):
            present, absent = sheets.get(pk, ([], []))
            yield [code, held_on, kind, place, agenda, minutes, _joined(present), _joined(absent)]


@register_exporter
class TradeExporter(LedgerExporter):
    kind = "trades"
    label = TradeImporter.label
    columns = TradeImporter.columns
    object_type = "activities.trade"
    model = Trade
    date_field = "traded_on"

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        fields = ("group__code", "buyer__brn", "seller__brn", "item", "amount_krw", "traded_on")
        for row in self.entries(user, filters).values_list(*fields).iterator(chunk_size=CHUNK):
            yield list(row)


class DatedEntryExporter(LedgerExporter):
    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        entries = self.entries(user, filters)
        through = self.model.firms.through
        owner = f"{self.model._meta.model_name}_id"
        brns: dict[int, list[str]] = defaultdict(list)
        firm_brns = dict(
            Firm.objects.filter(
                id__in=through.objects.filter(**{f"{owner}__in": entries}).values("firm_id")
            ).values_list("id", "brn")
        )
        for entry_id, firm_id in through.objects.filter(**{f"{owner}__in": entries}).values_list(
            owner, "firm_id"
        ):
            brns[entry_id].append(firm_brns[firm_id])
        fields = ("id", "group__code", "kind", "title", self.date_field, "description")
        for pk, code, kind, title, on, description in entries.values_list(*fields).iterator(chunk_size=CHUNK):
            yield [code, kind, title, on, _joined(brns.get(pk, [])), description]


@register_exporter
class OutcomeExporter(DatedEntryExporter):
    kind = "outcomes"
    label = OutcomeImporter.label
    columns = OutcomeImporter.columns
    object_type = "activities.outcome"
    model = Outcome
    date_field = "achieved_on"


@register_exporter
class ActivityExporter(DatedEntryExporter):
    kind = "activities"
    label = ActivityImporter.label
    columns = ActivityImporter.columns
    object_type = "activities.activity"
    model = Activity
    date_field = "held_on"
