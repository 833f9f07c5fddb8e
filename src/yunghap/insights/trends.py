"""Time series of the network, monthly and yearly, from the materialised monthly figures.

Flows (joins, leaves, meetings, trades, results) add up over a year; stocks (active and dormant groups,
members, diversity) are taken at the year's last month with figures. Attendance rate = present / listed
over the period. The industry filter keeps the groups that have (or had) a member of that KSIC division.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Aggregate, Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yunghap.network.models import ExchangeGroup, Federation, Membership

from .models import GroupMonth, RegionMonth
from .selectors import filter_groups

ONE_DECIMAL = Decimal("0.1")


@dataclass(frozen=True)
class Series:
    key: str
    label: Any
    kind: str  # "stock" (a level at the end of the period) or "flow" (a sum over it) or "rate"
    unit: Any


SERIES = [
    Series("active_groups", _("활동 교류회"), "stock", _("개")),
    Series("dormant_groups", _("휴면 교류회(3개월 무모임)"), "stock", _("개")),
    # Firms counted once however many groups they belong to; the memberships beside them.
    Series("firms", _("회원사(중복 제외)"), "stock", _("개사")),
    Series("members", _("교류회별 회원 합계(가입 건수, 여러 교류회 회원사는 중복)"), "stock", _("건")),
    Series("joins", _("신규 가입"), "flow", _("건")),
    Series("leaves", _("탈퇴"), "flow", _("건")),
    Series("meetings", _("모임"), "flow", _("회")),
    Series("attendance_rate", _("출석률"), "rate", "%"),
    Series("trades_count", _("회원간 수발주 건수"), "flow", _("건")),
    Series("trades_amount", _("회원간 수발주 금액"), "flow", _("원")),
    Series("outcomes", _("융합기술개발 실적"), "flow", _("건")),
    Series("divisions_mean", _("교류회당 업종 수(평균)"), "stock", _("개")),
    Series("entropy_mean", _("업종 다양성 지수(평균 엔트로피)"), "stock", ""),
]
SERIES_BY_KEY = {s.key: s for s in SERIES}


def _rate(present: int, listed: int) -> Decimal | None:
    if not listed:
        return None
    return (Decimal(present) * 100 / Decimal(listed)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def _round(value: float | None, places: str = "0.01") -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def figures_queryset(
    *,
    region: str | None = None,
    exchange_type: str | None = None,
    industry: str | None = None,
    group_ids: list[int] | None = None,
):
    rows = GroupMonth.objects.all()
    if group_ids is not None:
        rows = rows.filter(group_id__in=group_ids)
    if region or exchange_type:
        rows = rows.filter(
            group_id__in=filter_groups(
                ExchangeGroup.objects.all(), region=region, exchange_type=exchange_type
            ).values("id")
        )
    if industry:
        # An uncorrelated IN (evaluated once) rather than EXISTS per monthly row.
        rows = rows.filter(
            group_id__in=Membership.objects.filter(firm__industry__code=industry).values("group_id")
        )
    return rows


def _groups(
    *,
    region: str | None,
    exchange_type: str | None,
    industry: str | None,
    group_ids: list[int] | None,
) -> QuerySet[ExchangeGroup]:
    """The groups the figures cover, as `figures_queryset` picks them."""
    groups = filter_groups(ExchangeGroup.objects.all(), region=region, exchange_type=exchange_type)
    if group_ids is not None:
        groups = groups.filter(id__in=group_ids)
    if industry:
        groups = groups.filter(
            id__in=Membership.objects.filter(firm__industry__code=industry).values("group_id")
        )
    return groups


def distinct_firms(
    groups: QuerySet[ExchangeGroup], start: datetime.date | None, end: datetime.date | None
) -> dict[datetime.date, int]:
    """Firms that were members of any of these groups in each month, each firm counted once.

    The same rule as a group's monthly members (`figures`): a period runs from `joined_on` to the day
    before `left_on`, and counts in every month it touches. Read from the memberships (one query; about
    65,000 rows at national scale), because distinct firms do not add up across groups or regions.
    """
    rows = Membership.objects.filter(group_id__in=groups.values("id")).values_list(
        "firm_id", "joined_on", "left_on"
    )
    if end:
        rows = rows.filter(joined_on__lt=month_after(end))
    if start:
        rows = rows.filter(Q(left_on__isnull=True) | Q(left_on__gt=start))
    first = month_number(start) if start else None
    last = month_number(end) if end else month_number(timezone.localdate())
    spans: dict[int, list[tuple[int, int]]] = {}
    for firm_id, joined, left in rows.order_by():
        if left is not None and left <= joined:
            continue
        low = month_number(joined)
        high = month_number(left - datetime.timedelta(days=1)) if left else (last or low)
        if first is not None:
            low = max(low, first)
        if last is not None:
            high = min(high, last)
        if low <= high:
            spans.setdefault(firm_id, []).append((low, high))
    counts: dict[int, int] = {}
    for periods in spans.values():
        periods.sort()
        run_low, run_high = periods[0]
        for low, high in periods[1:]:
            if low <= run_high + 1:
                run_high = max(run_high, high)
                continue
            counts[run_low] = counts.get(run_low, 0) + 1
            counts[run_high + 1] = counts.get(run_high + 1, 0) - 1
            run_low, run_high = low, high
        counts[run_low] = counts.get(run_low, 0) + 1
        counts[run_high + 1] = counts.get(run_high + 1, 0) - 1
    result: dict[datetime.date, int] = {}
    running = 0
    for number in range(min(counts, default=0), max(counts, default=-1) + 1):
        running += counts.get(number, 0)
        if running:
            result[datetime.date(number // 12, number % 12 + 1, 1)] = running
    return result


def month_number(day: datetime.date) -> int:
    return day.year * 12 + day.month - 1


def month_after(day: datetime.date) -> datetime.date:
    number = month_number(day) + 1
    return datetime.date(number // 12, number % 12 + 1, 1)


def monthly(
    *,
    region: str | None = None,
    exchange_type: str | None = None,
    industry: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    group_ids: list[int] | None = None,
) -> list[dict[str, Any]]:
    """One dict per month with every series: one aggregate query.

    Without an industry or group filter it reads the regional roll-up (a few thousand rows at national
    scale); otherwise the monthly figures of the matching groups.
    """
    if industry is None and group_ids is None:
        rows = RegionMonth.objects.filter(exchange_type=exchange_type or "")
        if region:
            rows = rows.filter(federation_id__in=Federation.objects.filter(code=region).values("id"))
        aggregates: dict[str, Aggregate] = {
            "groups": Sum("groups"),
            "dormant": Sum("dormant_groups"),
            "with_members": Sum("groups_with_members"),
            "divisions": Sum("divisions_sum"),
            "entropy": Sum("entropy_sum"),
        }
    else:
        rows = figures_queryset(
            region=region, exchange_type=exchange_type, industry=industry, group_ids=group_ids
        )
        aggregates = {
            "groups": Count("id"),
            "dormant": Count("id", filter=Q(dormant=True)),
            "with_members": Count("id", filter=Q(members__gt=0)),
            "divisions": Sum("divisions"),
            "entropy": Sum("entropy"),
        }
    if start:
        rows = rows.filter(month__gte=start)
    if end:
        rows = rows.filter(month__lte=end)
    sums = {f"sum_{key}": Sum(key) for key in FLOW_FIELDS}
    aggregated = (
        rows.order_by("month")
        .values("month")
        .annotate(**aggregates, **sums, listed=Sum("attendance_listed"), present=Sum("attendance_present"))
    )
    firms = distinct_firms(
        _groups(region=region, exchange_type=exchange_type, industry=industry, group_ids=group_ids),
        start,
        end,
    )
    result = []
    # django-stubs types .values().annotate() rows from literal keywords only, not the ** ones above.
    for row in cast("Iterable[dict[str, Any]]", aggregated):
        listed, present = int(row["listed"] or 0), int(row["present"] or 0)
        with_members = int(row["with_members"] or 0)
        item = {
            "month": row["month"],
            "period": row["month"].strftime("%Y-%m"),
            "active_groups": int(row["groups"] or 0) - int(row["dormant"] or 0),
            "firms": firms.get(row["month"], 0),
            "dormant_groups": int(row["dormant"] or 0),
            "attendance_rate": _rate(present, listed),
            "divisions_mean": _round(row["divisions"] / with_members, "0.1") if with_members else None,
            "entropy_mean": _round(row["entropy"] / with_members, "0.001") if with_members else None,
            "_listed": listed,
            "_present": present,
        }
        for key in FLOW_FIELDS:
            item[key] = int(row[f"sum_{key}"] or 0)
        result.append(item)
    return result


# Summed as they are; `members` is a level, but a sum over groups all the same.
FLOW_FIELDS = ("members", "joins", "leaves", "meetings", "trades_count", "trades_amount", "outcomes")


def month_before(month: datetime.date) -> datetime.date:
    number = month_number(month) - 1
    return datetime.date(number // 12, number % 12 + 1, 1)


def partial_note(today: datetime.date) -> str:
    """What the pages and files say about the month that has not ended (left out of every series)."""
    last = month_before(today.replace(day=1))
    return str(
        _(
            "이번 달(%(month)s)은 끝나지 않아 집계에서 뺐습니다(%(last)s까지). "
            "%(year)s년 연도별 값은 %(last_month)s월까지입니다."
        )
        % {
            "month": today.strftime("%Y-%m"),
            "last": last.strftime("%Y-%m"),
            "year": last.year,
            "last_month": last.month,
        }
    )


def yearly(months: list[dict[str, Any]], *, partial_year: int | None = None) -> list[dict[str, Any]]:
    """Fold monthly rows into years: flows summed, stocks at the last month, rates recomputed.

    A year that has not ended (`partial_year`, the current one) is labelled with the months it holds,
    "2026 (1~11월)", in the charts, tables and files alike.
    """
    years: dict[int, dict[str, Any]] = {}
    for row in months:
        year = row["month"].year
        acc = years.setdefault(
            year, {"period": str(year), "month": row["month"], "_listed": 0, "_present": 0}
        )
        for series in SERIES:
            if series.kind == "flow":
                acc[series.key] = acc.get(series.key, 0) + row[series.key]
            elif series.kind == "stock":
                acc[series.key] = row[series.key]  # months come in order: the last one wins
        acc["_listed"] += row["_listed"]
        acc["_present"] += row["_present"]
        acc["month"] = row["month"]
    for year, acc in years.items():
        acc["attendance_rate"] = _rate(acc["_present"], acc["_listed"])
        acc["partial"] = year == partial_year and acc["month"].month < 12
        if acc["partial"]:
            acc["period"] = str(_("%(year)s (1~%(month)s월)") % {"year": year, "month": acc["month"].month})
    return [years[y] for y in sorted(years)]


def table_rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for a data table or a download: period, then every series."""
    header = [str(_("기간"))] + [f"{s.label}" + (f" ({s.unit})" if s.unit else "") for s in SERIES]
    return header, [[row["period"]] + [row[s.key] for s in SERIES] for row in rows]
