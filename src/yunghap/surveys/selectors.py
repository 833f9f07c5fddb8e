"""Reads for the survey: what the ledger already knows about a group's year (to prefill an answer)."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from yunghap.activities.models import Activity, Meeting, Outcome, Trade
from yunghap.network.models import ExchangeGroup, Membership

from .models import Survey, SurveyResponse


def ledger_year_figures(year: int, group_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per group, the year as the ledger recorded it (a handful of aggregate queries for any number).

    Members are counted at the year's end, or today for the current year.
    """
    today = timezone.localdate()
    on = min(datetime.date(year, 12, 31), today)
    figures: dict[int, dict[str, Any]] = {
        gid: {
            "members": 0,
            "meetings": 0,
            "attendance_rate": None,
            "rnd_results": 0,
            "trades_count": 0,
            "trades_amount_krw": 0,
            "joint_projects": 0,
        }
        for gid in group_ids
    }
    for gid, n in (
        Membership.objects.filter(group_id__in=group_ids)
        .current(on)
        .order_by()
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    ):
        figures[gid]["members"] = n
    for row in Meeting.objects.filter(group_id__in=group_ids, held_on__year=year).per_group():
        entry = figures[row["group_id"]]
        entry["meetings"] = row["meetings"]
        if row["listed"]:
            entry["attendance_rate"] = (Decimal(row["present"]) * 100 / Decimal(row["listed"])).quantize(
                Decimal("0.1"), rounding=ROUND_HALF_UP
            )
    for gid, n in (
        Outcome.objects.filter(group_id__in=group_ids, achieved_on__year=year)
        .order_by()
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    ):
        figures[gid]["rnd_results"] = n
    for gid, n, amount in (
        Trade.objects.filter(group_id__in=group_ids, traded_on__year=year)
        .order_by()
        .values("group_id")
        .annotate(n=Count("id"), amount=Sum("amount_krw"))
        .values_list("group_id", "n", "amount")
    ):
        figures[gid]["trades_count"] = n
        figures[gid]["trades_amount_krw"] = int(amount or 0)
    for gid, n in (
        Activity.objects.filter(group_id__in=group_ids, held_on__year=year, kind=Activity.Kind.JOINT_PROJECT)
        .order_by()
        .values("group_id")
        .annotate(n=Count("id"))
        .values_list("group_id", "n")
    ):
        figures[gid]["joint_projects"] = n
    return figures


def prefill(survey: Survey, group: ExchangeGroup) -> dict[str, Any]:
    """Initial values of a new answer: the ledger's figures and the group's registered exchange types."""
    values = ledger_year_figures(survey.year, [group.pk])[group.pk]
    types = set(group.exchange_types.values_list("code", flat=True))
    values.update(
        purpose_info="info" in types,
        purpose_resource="resource" in types,
        purpose_newproduct="newproduct" in types,
    )
    return values


def answer_status(survey: Survey, groups: Any) -> list[dict[str, Any]]:
    """Each group with its answer's status: not started, draft or submitted (two queries)."""
    responses = {
        r.group_id: r
        for r in SurveyResponse.objects.filter(survey=survey, group__in=groups).only(
            "id", "group_id", "status", "submitted_at", "source"
        )
    }
    reminded = dict(
        survey.reminders.filter(group__in=groups)
        .order_by()
        .values("group_id")
        .annotate(last=Count("id"))
        .values_list("group_id", "last")
    )
    rows = []
    for group in groups:
        response = responses.get(group.pk)
        rows.append(
            {
                "group": group,
                "response": response,
                "status": response.status if response else "not_started",
                "reminders": reminded.get(group.pk, 0),
            }
        )
    return rows


def status_counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"not_started": 0, "draft": 0, "submitted": 0}
    for row in rows:
        counts[row["status"]] += 1
    return counts


def response_rates(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per federation (in the rows' order): target groups, submitted, drafts, not started, the rate
    (submitted ÷ targets, percent) and the groups that have not submitted (drafts and not started)."""
    regions: dict[int, dict[str, Any]] = {}
    for row in rows:
        group = row["group"]
        entry = regions.setdefault(
            group.federation_id,
            {
                "federation": group.federation,
                "targets": 0,
                "submitted": 0,
                "draft": 0,
                "not_started": 0,
                "pending": [],
            },
        )
        entry["targets"] += 1
        entry[row["status"]] += 1
        if row["status"] != "submitted":
            entry["pending"].append(row)
    for entry in regions.values():
        entry["rate"] = 100.0 * entry["submitted"] / entry["targets"] if entry["targets"] else None
    return list(regions.values())
