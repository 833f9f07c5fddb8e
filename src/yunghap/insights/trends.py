"""Time series of the network, monthly and yearly, from the materialised monthly figures.

Flows (joins, leaves, meetings, trades, results) add up over a year; stocks (active and dormant groups,
members, diversity) are taken at the year's last month with figures. Attendance rate = present / listed
over the period. The industry filter keeps the groups that have (or had) a member of that KSIC division.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from yunghap.network.models import ExchangeGroup, Membership

from .figures import ensure_fresh
from .models import GroupMonth
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
    Series("members", _("회원사"), "stock", _("개사")),
    Series("joins", _("가입"), "flow", _("개사")),
    Series("leaves", _("탈퇴"), "flow", _("개사")),
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


def figures_queryset(*, region: str | None = None, exchange_type: str | None = None, industry: str | None = None):
    rows = GroupMonth.objects.all()
    if region or exchange_type:
        rows = rows.filter(
            group_id__in=filter_groups(ExchangeGroup.objects.all(), region=region, exchange_type=exchange_type).values(
                "id"
            )
        )
    if industry:
        rows = rows.filter(
            Exists(Membership.objects.filter(group_id=OuterRef("group_id"), firm__industry__code=industry))
        )
    return rows


def monthly(
    *,
    region: str | None = None,
    exchange_type: str | None = None,
    industry: str | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> list[dict[str, Any]]:
    """One dict per month with every series: one aggregate query over the monthly figures."""
    ensure_fresh()
    rows = figures_queryset(region=region, exchange_type=exchange_type, industry=industry)
    if start:
        rows = rows.filter(month__gte=start)
    if end:
        rows = rows.filter(month__lte=end)
    aggregated = (
        rows.order_by("month")
        .values("month")
        .annotate(
            active_groups=Count("group_id", filter=Q(dormant=False)),
            dormant_groups=Count("group_id", filter=Q(dormant=True)),
            members=Sum("members"),
            joins=Sum("joins"),
            leaves=Sum("leaves"),
            meetings=Sum("meetings"),
            listed=Sum("attendance_listed"),
            present=Sum("attendance_present"),
            trades_count=Sum("trades_count"),
            trades_amount=Sum("trades_amount"),
            outcomes=Sum("outcomes"),
            divisions_mean=Avg("divisions", filter=Q(members__gt=0)),
            entropy_mean=Avg("entropy", filter=Q(members__gt=0)),
        )
    )
    result = []
    for row in aggregated:
        listed, present = int(row.pop("listed") or 0), int(row.pop("present") or 0)
        row["attendance_rate"] = _rate(present, listed)
        row["divisions_mean"] = _round(row["divisions_mean"], "0.1")
        row["entropy_mean"] = _round(row["entropy_mean"], "0.001")
        row["_listed"], row["_present"] = listed, present
        for key in ("members", "joins", "leaves", "meetings", "trades_count", "trades_amount", "outcomes"):
            row[key] = int(row[key] or 0)
        row["period"] = row["month"].strftime("%Y-%m")
        result.append(row)
    return result


def yearly(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Fold monthly rows into years: flows summed, stocks at the last month, rates recomputed."""
    years: dict[int, dict[str, Any]] = {}
    for row in months:
        year = row["month"].year
        acc = years.setdefault(year, {"period": str(year), "month": row["month"], "_listed": 0, "_present": 0})
        for series in SERIES:
            if series.kind == "flow":
                acc[series.key] = acc.get(series.key, 0) + row[series.key]
            elif series.kind == "stock":
                acc[series.key] = row[series.key]  # months come in order: the last one wins
        acc["_listed"] += row["_listed"]
        acc["_present"] += row["_present"]
        acc["month"] = row["month"]
    for acc in years.values():
        acc["attendance_rate"] = _rate(acc["_present"], acc["_listed"])
    return [years[y] for y in sorted(years)]


def table_rows(rows: list[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    """Header and rows for a data table or a download: period, then every series."""
    header = [str(_("기간"))] + [f"{s.label}" + (f" ({s.unit})" if s.unit else "") for s in SERIES]
    return header, [[row["period"]] + [row[s.key] for s in SERIES] for row in rows]
