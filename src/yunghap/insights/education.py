"""Education and event figures per year for the trend pages (issue 11 §7), read from the stored rows
`events.EducationYear` / `events.EventYear` (rebuilt by `yunghap refresh_statistics`).

Region: a participant counts in their firm's region (without a firm, the organiser's); events count in
their organiser's region, the central federation's national events in the national figures only. An
exchange type keeps the participants whose firm was then a member of a group of that type; the event
figures have no exchange type (an event is not of a type) and are left out under that filter.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from yunghap.events.models import EducationYear, EventYear
from yunghap.network.models import ExchangeGroup

from . import charts

TWO_DECIMALS = Decimal("0.01")
ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any
    unit: Any

    @property
    def heading(self) -> str:
        return f"{self.label}" + (f" ({self.unit})" if self.unit else "")


EDUCATION_COLUMNS = [
    Column("participants", _("교육 참가"), _("명")),
    Column("completions", _("수료"), _("명")),
    Column("completion_rate", _("수료율"), "%"),
    Column("hours", _("교육 이수 시간"), _("시간")),
]
EVENT_COLUMNS = [
    Column("events", _("개최 행사"), _("건")),
    Column("participants", _("행사 참가자"), _("명")),
    Column("answers", _("만족도 응답"), _("건")),
    Column("satisfaction", _("만족도(5점 만점)"), _("점")),
]
GROUP_COLUMNS = [Column("group", _("교류회"), ""), Column("region", _("지역연합회"), ""), *EDUCATION_COLUMNS]


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _education_row(participants: int, completions: int, hours: Decimal | None) -> dict[str, Any]:
    return {
        "participants": participants,
        "completions": completions,
        "completion_rate": _rate(completions, participants),
        "hours": (hours or Decimal("0")).quantize(TWO_DECIMALS),
    }


def education_years(
    *,
    first: int,
    last: int,
    region_id: int | None = None,
    exchange_type: str | None = None,
    group_id: int | None = None,
) -> list[dict[str, Any]]:
    """One row per year with education: participants, completions, completion rate, hours."""
    rows = EducationYear.objects.filter(year__gte=first, year__lte=last)
    if group_id is not None:
        rows = rows.filter(group_id=group_id, exchange_type="")
    else:
        rows = rows.filter(group_id=0, exchange_type=exchange_type or "")
        if region_id is not None:
            rows = rows.filter(federation_id=region_id)
    totals = (
        rows.order_by("year")
        .values("year")
        .annotate(p=Sum("participants"), c=Sum("completions"), h=Sum("hours"))
    )
    return [
        {"year": t["year"], "period": str(t["year"]), **_education_row(t["p"] or 0, t["c"] or 0, t["h"])}
        for t in totals
    ]


def event_years(*, first: int, last: int, region_id: int | None = None) -> list[dict[str, Any]]:
    """One row per year with events held: events, participants, answers, satisfaction (mean item score)."""
    rows = EventYear.objects.filter(year__gte=first, year__lte=last)
    if region_id is not None:
        rows = rows.filter(federation_id=region_id)
    totals = (
        rows.order_by("year")
        .values("year")
        .annotate(
            e=Sum("events"), p=Sum("participants"), a=Sum("answers"), s=Sum("score_sum"), n=Sum("score_count")
        )
    )
    result = []
    for t in totals:
        score_count = int(t["n"] or 0)
        satisfaction = (
            (Decimal(int(t["s"] or 0)) / Decimal(score_count)).quantize(TWO_DECIMALS, rounding=ROUND_HALF_UP)
            if score_count
            else None
        )
        result.append(
            {
                "year": t["year"],
                "period": str(t["year"]),
                "events": int(t["e"] or 0),
                "participants": int(t["p"] or 0),
                "answers": int(t["a"] or 0),
                "satisfaction": satisfaction,
            }
        )
    return result


def education_by_group(
    *, first: int, last: int, region_id: int | None = None, exchange_type: str | None = None
) -> list[dict[str, Any]]:
    """The chosen years summed per exchange group (most hours first); a firm in two groups counts in both."""
    rows = EducationYear.objects.filter(year__gte=first, year__lte=last, exchange_type="").exclude(group_id=0)
    if region_id is not None:
        rows = rows.filter(federation_id=region_id)
    if exchange_type:
        rows = rows.filter(
            group_id__in=ExchangeGroup.exchange_types.through.objects.filter(
                exchangetype__code=exchange_type
            ).values("exchangegroup_id")
        )
    totals = list(
        rows.order_by()
        .values("group_id")
        .annotate(p=Sum("participants"), c=Sum("completions"), h=Sum("hours"))
    )
    groups = {
        g.pk: g
        for g in ExchangeGroup.objects.filter(pk__in=[t["group_id"] for t in totals]).select_related(
            "federation"
        )
    }
    result = [
        {
            "group": groups[t["group_id"]].name,
            "code": groups[t["group_id"]].code,
            "region": groups[t["group_id"]].federation.display_name,
            **_education_row(t["p"] or 0, t["c"] or 0, t["h"]),
        }
        for t in totals
        if t["group_id"] in groups
    ]
    result.sort(key=lambda r: (-r["hours"], -r["participants"], r["group"]))
    return result


def table(columns: list[Column], rows: list[dict[str, Any]], first: str) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for a data table or a sheet; `first` is the key of the row heading."""
    header = [str(_("연도")) if first == "period" else str(columns[0].heading)]
    keys = [c.key for c in columns if c.key != first]
    header += [c.heading for c in columns if c.key != first]
    return header, [[row[first]] + [row[k] for k in keys] for row in rows]


def _chart(
    index: int,
    title: str,
    rows: list[dict[str, Any]],
    columns: list[Column],
    keys: list[str],
    *,
    bar: bool,
    integer: bool,
) -> dict[str, Any]:
    by_key = {c.key: c for c in columns}
    periods = [r["period"] for r in rows]
    options = charts.line_chart(
        title, periods, [(str(by_key[k].label), [r[k] for r in rows]) for k in keys], bar=bar, integer=integer
    )
    return {
        "id": f"edu-chart-{index}",
        "json_id": f"edu-chart-{index}-options",
        "title": title,
        "options": options,
        "table": charts.data_table(
            title,
            [str(_("연도"))] + [by_key[k].heading for k in keys],
            [(r["period"], [r[k] for k in keys]) for r in rows],
        ),
    }


def education_charts(
    education: list[dict[str, Any]], events: list[dict[str, Any]] | None
) -> list[dict[str, Any]]:
    """Charts with their data tables; `events` None: no event charts (an exchange type or a group)."""
    result = []
    if education:
        result.append(
            _chart(
                0,
                str(_("교육 참가와 수료")),
                education,
                EDUCATION_COLUMNS,
                ["participants", "completions"],
                bar=True,
                integer=True,
            )
        )
        result.append(
            _chart(
                1, str(_("교육 이수 시간")), education, EDUCATION_COLUMNS, ["hours"], bar=True, integer=False
            )
        )
    if events:
        result.append(
            _chart(
                2,
                str(_("행사 개최와 참가자")),
                events,
                EVENT_COLUMNS,
                ["events", "participants"],
                bar=True,
                integer=True,
            )
        )
        satisfaction = _chart(
            3, str(_("행사 만족도")), events, EVENT_COLUMNS, ["satisfaction"], bar=False, integer=False
        )
        satisfaction["options"]["yAxis"][0].update({"min": 0, "max": 5})
        result.append(satisfaction)
    return result
