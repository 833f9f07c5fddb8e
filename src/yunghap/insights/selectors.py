"""The plan's survey table, reported (survey answers) and observed (the activity ledger), side by side.

Shares are percentages of the respondents rounded to one decimal half-up on `Decimal` (12.25 → 12.3,
never banker's 12.2). With no respondents every share and the mean are `None` (shown as "—"), counts are
0: a share of nobody is undefined, and 0% would read as a measured result.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from yunghap.network.models import ExchangeGroup
from yunghap.surveys.models import SurveyResponse

from .models import GroupMonth, GroupYear

ONE_DECIMAL = Decimal("0.1")
ATTENDANCE_THRESHOLD = 70

# Reported and observed figures of one group "disagree markedly" past these gaps.
MEETINGS_GAP = 3
ATTENDANCE_GAP = Decimal(15)
MEMBERS_GAP = 5


def share(count: int, total: int) -> Decimal | None:
    if not total:
        return None
    return (Decimal(count) * 100 / Decimal(total)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def filter_groups(
    groups: QuerySet[Any], *, region: str | None = None, exchange_type: str | None = None, path: str = ""
) -> QuerySet[Any]:
    """Restrict a queryset of groups (or of rows whose group is at `path`) to a region and/or type."""
    prefix = f"{path}__" if path else ""
    if region:
        groups = groups.filter(**{f"{prefix}federation__code": region})
    if exchange_type:
        # EXISTS, not a join: a group of several types must count once.
        through = ExchangeGroup.exchange_types.through
        groups = groups.filter(
            Exists(
                through.objects.filter(
                    exchangegroup_id=OuterRef(f"{prefix}id" if prefix else "id"),
                    exchangetype__code=exchange_type,
                )
            )
        )
    return groups


def submitted_responses(
    year: int, *, region: str | None = None, exchange_type: str | None = None
) -> QuerySet[SurveyResponse]:
    responses = SurveyResponse.objects.filter(survey__year=year, status=SurveyResponse.Status.SUBMITTED)
    return filter_groups(responses, region=region, exchange_type=exchange_type, path="group")


def survey_report(
    year: int, *, region: str | None = None, exchange_type: str | None = None
) -> dict[str, Any]:
    """The plan's table from the submitted answers of `year`: one aggregate query."""
    totals = submitted_responses(year, region=region, exchange_type=exchange_type).aggregate(
        respondents=Count("id"),
        info=Count("id", filter=Q(purpose_info=True)),
        resource=Count("id", filter=Q(purpose_resource=True)),
        newproduct=Count("id", filter=Q(purpose_newproduct=True)),
        with_rnd=Count("id", filter=Q(rnd_results__gt=0)),
        rnd_results=Coalesce(Sum("rnd_results"), 0),
        meetings=Coalesce(Sum("meetings"), 0),
        attendance_70=Count("id", filter=Q(attendance_rate__gte=ATTENDANCE_THRESHOLD)),
    )
    return _table(year, totals)


def _table(year: int, totals: dict[str, Any]) -> dict[str, Any]:
    n = totals["respondents"]
    return {
        "year": year,
        "respondents": n,
        "purpose_share": {
            "info": share(totals["info"], n),
            "resource": share(totals["resource"], n),
            "newproduct": share(totals["newproduct"], n),
        },
        "groups_with_rnd": {"count": totals["with_rnd"], "share": share(totals["with_rnd"], n)},
        "rnd_results": int(totals["rnd_results"]),
        "meetings_per_year_mean": mean(totals["meetings"], n),
        "attendance_70_share": share(totals["attendance_70"], n),
    }


@dataclass
class ObservedGroup:
    group_id: int
    members: int
    meetings: int
    listed: int
    present: int
    trades: int
    outcomes: int
    resource_activities: int

    @cached_property
    def attendance_rate(self) -> Decimal | None:
        if not self.listed:
            return None
        return (Decimal(self.present) * 100 / Decimal(self.listed)).quantize(
            ONE_DECIMAL, rounding=ROUND_HALF_UP
        )


def observed_by_group(
    year: int, *, region: str | None = None, exchange_type: str | None = None
) -> dict[int, ObservedGroup]:
    """Each group's year from the ledger (via GroupYear), for every group with figures that year.

    Members are those of the year's last month with figures (December for a past year).
    """
    rows = filter_groups(
        GroupYear.objects.filter(year=year), region=region, exchange_type=exchange_type, path="group"
    )
    return {
        gid: ObservedGroup(gid, *values)
        for gid, *values in rows.order_by().values_list(
            "group_id",
            "members",
            "meetings",
            "attendance_listed",
            "attendance_present",
            "trades_count",
            "outcomes",
            "resource_activities",
        )
    }


def observed_report(year: int, observed: dict[int, ObservedGroup], group_ids: list[int]) -> dict[str, Any]:
    """The same table computed from the ledger for the given groups.

    Purposes as observed: information exchange = held at least one meeting; resource cooperation = at
    least one trade between members, human-resource exchange or joint project; new-product development =
    at least one convergence R&D result. Attendance = present / listed over the year's meetings.
    """
    empty = ObservedGroup(0, 0, 0, 0, 0, 0, 0, 0)
    picked = [observed.get(gid, empty) for gid in group_ids]
    totals = {
        "respondents": len(picked),
        "info": sum(1 for o in picked if o.meetings),
        "resource": sum(1 for o in picked if o.trades or o.resource_activities),
        "newproduct": sum(1 for o in picked if o.outcomes),
        "with_rnd": sum(1 for o in picked if o.outcomes),
        "rnd_results": sum(o.outcomes for o in picked),
        "meetings": sum(o.meetings for o in picked),
        "attendance_70": sum(
            1 for o in picked if o.attendance_rate is not None and o.attendance_rate >= ATTENDANCE_THRESHOLD
        ),
    }
    return _table(year, totals)


ANSWER_COLUMNS = (
    "group_id",
    "group__code",
    "group__name",
    "members",
    "meetings",
    "attendance_rate",
    "rnd_results",
)


def comparison(year: int, *, region: str | None = None, exchange_type: str | None = None) -> dict[str, Any]:
    """Reported vs observed for the respondents, the ledger's table for every group, and disagreements.

    Observed figures are only compared when the ledger covers the whole year (it starts on or before
    1 January); otherwise every answer would look wrong for want of records.
    """
    reported = survey_report(year, region=region, exchange_type=exchange_type)
    ledger_from = GroupMonth.objects.aggregate(first=Min("month"))["first"]
    if ledger_from is None or ledger_from > datetime.date(year, 1, 1):
        return {
            "reported": reported,
            "observed": None,
            "observed_all": None,
            "disagreements": [],
            "ledger_from": ledger_from,
            "covered": False,
        }
    answers = [
        dict(zip(ANSWER_COLUMNS, row, strict=True))
        for row in submitted_responses(year, region=region, exchange_type=exchange_type)
        .order_by("group__name")
        .values_list(*ANSWER_COLUMNS)
    ]
    observed = observed_by_group(year, region=region, exchange_type=exchange_type)
    return {
        "reported": reported,
        "observed": observed_report(year, observed, [a["group_id"] for a in answers]),
        "observed_all": observed_report(year, observed, sorted(observed)),
        "disagreements": disagreements(answers, observed),
        "ledger_from": ledger_from,
        "covered": True,
    }


def disagreements(answers: list[dict[str, Any]], observed: dict[int, ObservedGroup]) -> list[dict[str, Any]]:
    """Groups whose answer departs markedly from their ledger, with the reasons."""
    result = []
    for answer in answers:
        gid = answer["group_id"]
        seen = observed.get(gid, ObservedGroup(gid, 0, 0, 0, 0, 0, 0, 0))
        reasons = []
        if answer["meetings"] is not None and abs(answer["meetings"] - seen.meetings) >= MEETINGS_GAP:
            reasons.append("meetings")
        rate = seen.attendance_rate
        if answer["attendance_rate"] is not None and (
            rate is None or abs(answer["attendance_rate"] - rate) >= ATTENDANCE_GAP
        ):
            reasons.append("attendance")
        if answer["rnd_results"] != seen.outcomes:
            reasons.append("rnd_results")
        if answer["members"] is not None and abs(answer["members"] - seen.members) >= MEMBERS_GAP:
            reasons.append("members")
        if reasons:
            result.append(
                {
                    "group": {"id": gid, "code": answer["group__code"], "name": answer["group__name"]},
                    "reasons": reasons,
                    "reported": {
                        k: answer[k] for k in ("members", "meetings", "attendance_rate", "rnd_results")
                    },
                    "observed": {
                        "members": seen.members,
                        "meetings": seen.meetings,
                        "attendance_rate": rate,
                        "rnd_results": seen.outcomes,
                    },
                }
            )
    return result
