"""The coaching caseload (담당 현황): what needs a coordinator's attention, computed at each request.

- quiet groups and consortia: no coaching session with them for `CoachingSettings.quiet_days` days (or never);
- pre-planning in progress: consortia in scope with a pre-planning note or session whose application is not
  submitted yet (none, or a draft);
- next steps due: open next steps of the sessions the user sees, due within `due_soon_days` or overdue,
  overdue first (the earliest due date first).

Each list is one query with its aggregates (a fixed number of queries whatever the size; pinned in a test).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from yunghap.programmes.models import Agreement, Application

from .models import CoachingSession, CoachingSettings, NextStep
from .scope import consortia_in_scope, groups_in_scope

LIST_LIMIT = 100


@dataclass
class Caseload:
    settings: CoachingSettings
    today: datetime.date
    quiet_since: datetime.date
    quiet_groups: list[Any]
    quiet_consortia: list[Any]
    pre_planning: list[Any]
    steps: list[NextStep]

    @property
    def overdue_count(self) -> int:
        return sum(1 for s in self.steps if s.due_on < self.today)


def open_consortia(user: Any) -> QuerySet[Any]:
    """Consortia in scope still at work: no application or one not withdrawn, and no finished agreement."""
    return (
        consortia_in_scope(user)
        .exclude(application__status=Application.Status.WITHDRAWN)
        .exclude(application__agreement__status__in=[Agreement.Status.ENDED, Agreement.Status.SETTLED])
    )


def caseload_of(user: Any) -> Caseload:
    settings = CoachingSettings.current()
    today = timezone.localdate()
    quiet_since = today - datetime.timedelta(days=settings.quiet_days)
    quiet = Q(last_contact__isnull=True) | Q(last_contact__lt=quiet_since)
    groups = list(
        groups_in_scope(user)
        .annotate(last_contact=Max("coaching_sessions__held_on"))
        .filter(quiet)
        .select_related("federation")
        .order_by("last_contact", "name", "pk")[:LIST_LIMIT]
    )
    consortia = list(
        open_consortia(user)
        .annotate(last_contact=Max("coaching_sessions__held_on"))
        .filter(quiet)
        .select_related("lead", "call")
        .order_by("last_contact", "name", "pk")[:LIST_LIMIT]
    )
    planning = list(
        open_consortia(user)
        .filter(Q(application__isnull=True) | Q(application__status=Application.Status.DRAFT))
        .annotate(
            note_count=Count("pre_planning_notes", distinct=True),
            planning_sessions=Count(
                "coaching_sessions",
                filter=Q(coaching_sessions__kind=CoachingSession.Kind.PRE_PLANNING),
                distinct=True,
            ),
            last_note=Max("pre_planning_notes__created_at"),
        )
        .filter(Q(note_count__gt=0) | Q(planning_sessions__gt=0))
        .select_related("lead", "call", "application")
        .order_by("-last_note", "pk")[:LIST_LIMIT]
    )
    horizon = today + datetime.timedelta(days=settings.due_soon_days)
    steps = list(
        NextStep.objects.filter(
            done=False,
            due_on__lte=horizon,
            session__in=CoachingSession.objects.visible_to(user).values("pk"),
        )
        .select_related("session__group", "session__consortium", "session__firm", "session__coordinator")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return Caseload(settings, today, quiet_since, groups, consortia, planning, steps)
