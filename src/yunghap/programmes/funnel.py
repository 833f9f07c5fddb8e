"""The funnel (퍼널) of plan item 8: introductions → consortia → applications → selected → completed → results.

One function (`funnel_figures`) for the page, its XLSX download and `yunghap report funnel`; two queries
whatever the scale. What each step counts for a year, a region and a growth engine (decisions.md):

- introductions: introductions sent (`sent_at`, Korean time) in the year; region = the seeker's federation;
  growth engine = one of the need posting's growth engines (an introduction without a need has none);
- the programme steps follow the cohort of the calls opening in the year (so each rate compares the same
  consortia); region = the lead firm's federation; growth engine = the application's topic's;
  - consortia: every consortium formed for those calls;
  - applications: those submitted (a later withdrawal included: it was an application);
  - selected: selection result `selected`;
  - completed: agreements ended or settled;
  - results: ledger results (`activities.Outcome`, not deleted) recorded for those agreements.

Rates are each step over the one before, as percentages rounded half-up to one decimal; `None` ("—") when
the step before counts nobody.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .models import Agreement, Consortium, SelectionResult

STEPS = ("introductions", "consortia", "applications", "selected", "completed", "results")


def step_label(key: str) -> str:
    return {
        "introductions": pgettext("funnel step", "소개"),
        "consortia": pgettext("funnel step", "협력체 구성"),
        "applications": pgettext("funnel step", "신청"),
        "selected": pgettext("funnel step", "선정"),
        "completed": pgettext("funnel step", "완료(협약 종료)"),
        "results": pgettext("funnel step", "성과"),
    }[key]


def rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = ZoneInfo(settings.TIME_ZONE)
    return datetime.datetime(year, 1, 1, tzinfo=zone), datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def _sources(year: int, region: str | None, engine: str | None) -> tuple[Any, Any]:
    """The introductions and the consortia the funnel of `year` counts (before aggregation)."""
    from yunghap.introductions.models import Introduction

    start, end = _year_bounds(year)
    introductions = Introduction.objects.filter(sent_at__gte=start, sent_at__lt=end)
    if region:
        introductions = introductions.filter(seeker__federation__code=region)
    if engine:
        introductions = introductions.filter(need__growth_engines__code=engine)
    consortia = Consortium.objects.filter(call__opens_on__gte=start.date(), call__opens_on__lt=end.date())
    if region:
        consortia = consortia.filter(lead__federation__code=region)
    if engine:
        consortia = consortia.filter(application__topic__growth_engine__code=engine)
    return introductions, consortia


def _programme_counts() -> dict[str, Any]:
    done = [Agreement.Status.ENDED, Agreement.Status.SETTLED]
    return {
        "consortia": Count("id", distinct=True),
        "applications": Count(
            "application", distinct=True, filter=Q(application__submitted_at__isnull=False)
        ),
        "selected": Count(
            "application",
            distinct=True,
            filter=Q(application__selection_result__outcome=SelectionResult.Outcome.SELECTED),
        ),
        "completed": Count(
            "application__agreement", distinct=True, filter=Q(application__agreement__status__in=done)
        ),
        "results": Count(
            "application__agreement__outcomes",
            distinct=True,
            filter=Q(application__agreement__outcomes__deleted_at__isnull=True),
        ),
    }


def _steps(counts: dict[str, Any]) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = []
    previous: int | None = None
    for key in STEPS:
        count = int(counts.get(key) or 0)
        steps.append(
            {
                "key": key,
                "label": step_label(key),
                "count": count,
                "rate": None if previous is None else rate(count, previous),
            }
        )
        previous = count
    return steps


def funnel_figures(year: int, *, region: str | None = None, engine: str | None = None) -> dict[str, Any]:
    """The funnel of `year` for a region (federation code) and a growth engine (code); None = all.

    Returns {"year", "region", "engine", "steps": [{"key", "label", "count", "rate"}]} where `rate` is the
    share of the step before (None for the first step and after a zero). Two queries."""
    introductions, consortia = _sources(year, region, engine)
    counts = {
        "introductions": introductions.aggregate(n=Count("id", distinct=True))["n"],
        **consortia.aggregate(**_programme_counts()),
    }
    return {"year": year, "region": region or None, "engine": engine or None, "steps": _steps(counts)}


# What a breakdown groups by: the introductions' path, the consortia's path.
BREAKDOWNS = {
    "region": ("seeker__federation__code", "lead__federation__code"),
    "engine": ("need__growth_engines__code", "application__topic__growth_engine__code"),
}


def funnel_breakdown(
    year: int, by: str, *, region: str | None = None, engine: str | None = None
) -> list[dict[str, Any]]:
    """The funnel of `year` row by row per region (federation code) or growth engine: every region or
    engine, in reference order, with its steps (as `funnel_figures`). Three queries.

    An introduction whose need names two growth engines counts under both; one without a need, under none."""
    from yunghap.network.models import Federation

    from .models import GrowthEngine

    intro_path, consortium_path = BREAKDOWNS[by]
    introductions, consortia = _sources(year, region, engine)
    counts: dict[str, dict[str, Any]] = {}
    for row in introductions.order_by().values(intro_path).annotate(n=Count("id", distinct=True)):
        counts.setdefault(row[intro_path], {})["introductions"] = row["n"]
    for row in consortia.order_by().values(consortium_path).annotate(**_programme_counts()):
        counts.setdefault(row[consortium_path], {}).update(row)
    if by == "region":
        keys = [(f.code, f.display_name) for f in Federation.objects.filter(level=Federation.Level.REGIONAL)]
        if region:
            keys = [k for k in keys if k[0] == region]
    else:
        keys = [(e.code, e.display_name) for e in GrowthEngine.objects.all()]
        if engine:
            keys = [k for k in keys if k[0] == engine]
    return [{"code": code, "label": label, "steps": _steps(counts.get(code, {}))} for code, label in keys]


def breakdown_header(by: str) -> list[str]:
    first = _("지역연합회") if by == "region" else _("신성장동력")
    return [first, _("코드"), *[step_label(key) for key in STEPS]]


def breakdown_rows(rows: list[dict[str, Any]]) -> list[list[Any]]:
    return [[r["label"], r["code"], *[s["count"] for s in r["steps"]]] for r in rows]


def table_header() -> list[str]:
    return [pgettext("funnel", "단계"), _("코드"), _("건수"), _("전 단계 대비 전환율(%)")]


def table_rows(figures: dict[str, Any]) -> list[list[Any]]:
    return [[s["label"], s["key"], s["count"], s["rate"]] for s in figures["steps"]]


def funnel_json(figures: dict[str, Any]) -> str:
    import json

    def plain(value: Any) -> Any:
        return float(value) if isinstance(value, Decimal) else value

    body = {
        "year": figures["year"],
        "region": figures["region"],
        "engine": figures["engine"],
        "steps": [{key: plain(value) for key, value in step.items()} for step in figures["steps"]],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def breakdown_json(rows: list[dict[str, Any]], by: str, year: int) -> str:
    import json

    def plain(value: Any) -> Any:
        return float(value) if isinstance(value, Decimal) else value

    body = {
        "year": year,
        "by": by,
        "rows": [
            {
                "code": r["code"],
                "label": r["label"],
                "steps": [{key: plain(value) for key, value in step.items()} for step in r["steps"]],
            }
            for r in rows
        ],
    }
    return json.dumps(body, ensure_ascii=False, indent=2)


def funnel_file(figures: dict[str, Any], fmt: str) -> bytes:
    """CSV (UTF-8 with BOM) or XLSX of the funnel table, as the page's download and the command write it."""
    from yunghap.insights.reports import table_file

    return table_file(table_header(), table_rows(figures), fmt, f"funnel {figures['year']}")


def breakdown_file(rows: list[dict[str, Any]], by: str, year: int, fmt: str) -> bytes:
    from yunghap.insights.reports import table_file

    return table_file(breakdown_header(by), breakdown_rows(rows), fmt, f"funnel {year} {by}")
