"""Rebuild the stored yearly education and event figures (models/education_figures.py) from the
registrations, memberships and feedback answers. Run by `yunghap refresh_statistics` with the monthly
figures; the trend pages only read what it stored.

An event counts in the year (KST) its last session ends, once that moment has passed. Its participants
are its confirmed registrations, with the hours and completion stored on them by the attendance service.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from yunghap.network.models import ExchangeGroup, Membership

from .models import EducationYear, Event, EventYear, FeedbackAnswer, Registration
from .models.feedback import ITEMS


def refresh_event_figures(now: datetime.datetime | None = None) -> int:
    """Replace every EducationYear and EventYear row; returns the number of rows written."""
    now = now or timezone.now()
    held: dict[int, dict[str, Any]] = {}
    ended = Event.objects.annotate(last_end=Max("sessions__ends_at")).filter(last_end__lte=now)
    for pk, organiser_id, last_end in ended.values_list("pk", "organiser_id", "last_end"):
        held[pk] = {"organiser_id": organiser_id, "day": timezone.localdate(last_end)}
    registrations = list(
        Registration.objects.filter(event_id__in=list(held), status=Registration.Status.CONFIRMED)
        .order_by()
        .values_list("event_id", "firm_id", "firm__federation_id", "hours_attended", "completed")
    )
    groups_of = _groups_of_firms({firm for _e, firm, _f, _h, _c in registrations if firm})
    types_of = _types_of_groups({g for spans in groups_of.values() for g, *_rest in spans})
    federation_of_group = dict(
        ExchangeGroup.objects.filter(pk__in={g for spans in groups_of.values() for g, *_r in spans})
        .order_by()
        .values_list("pk", "federation_id")
    )

    education: dict[tuple[int, int, int, str], list[Any]] = defaultdict(lambda: [0, 0, Decimal("0")])
    events: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def add(key: tuple[int, int, int, str], hours: Decimal, completed: bool) -> None:
        figures = education[key]
        figures[0] += 1
        figures[1] += int(completed)
        figures[2] += hours

    for event in held.values():
        events[event["day"].year, event["organiser_id"] or 0][0] += 1
    for event_id, firm_id, firm_region, hours, completed in registrations:
        event = held[event_id]
        day, year = event["day"], event["day"].year
        events[year, event["organiser_id"] or 0][1] += 1
        region = firm_region or event["organiser_id"] or 0
        add((year, region, 0, ""), hours, completed)
        groups = [
            g
            for g, joined, left in groups_of.get(firm_id, [])
            if joined <= day and (left is None or left > day)
        ]
        types: set[str] = set()
        for group in sorted(set(groups)):
            add((year, federation_of_group[group], group, ""), hours, completed)
            types |= types_of.get(group, set())
        for code in sorted(types):
            add((year, region, 0, code), hours, completed)

    total = sum((F(item) for item, _label in ITEMS[1:]), start=F(ITEMS[0][0]))
    answers = (
        FeedbackAnswer.objects.filter(survey__event_id__in=list(held))
        .order_by()
        .annotate(total=total)
        .values_list("survey__event_id", "total")
    )
    for event_id, score in answers:
        event = held[event_id]
        figures = events[event["day"].year, event["organiser_id"] or 0]
        figures[2] += 1
        figures[3] += int(score)
        figures[4] += len(ITEMS)

    with transaction.atomic():
        EducationYear.objects.all().delete()
        EventYear.objects.all().delete()
        EducationYear.objects.bulk_create(
            EducationYear(
                year=year,
                federation_id=region,
                group_id=group,
                exchange_type=code,
                participants=count,
                completions=done,
                hours=hours,
            )
            for (year, region, group, code), (count, done, hours) in sorted(education.items())
        )
        EventYear.objects.bulk_create(
            EventYear(
                year=year,
                federation_id=region,
                events=count,
                participants=people,
                answers=answered,
                score_sum=score_sum,
                score_count=score_count,
            )
            for (year, region), (count, people, answered, score_sum, score_count) in sorted(events.items())
        )
    return len(education) + len(events)


def _groups_of_firms(firms: set[int]) -> dict[int, list[tuple[int, datetime.date, datetime.date | None]]]:
    spans: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
    rows = (
        Membership.objects.filter(firm_id__in=firms)
        .order_by()
        .values_list("firm_id", "group_id", "joined_on", "left_on")
    )
    for firm, group, joined, left in rows:
        spans[firm].append((group, joined, left))
    return spans


def _types_of_groups(groups: set[int]) -> dict[int, set[str]]:
    through = ExchangeGroup.exchange_types.through
    result: dict[int, set[str]] = defaultdict(set)
    rows = through.objects.filter(exchangegroup_id__in=groups).values_list(
        "exchangegroup_id", "exchangetype__code"
    )
    for group, code in rows:
        result[group].add(code)
    return result
