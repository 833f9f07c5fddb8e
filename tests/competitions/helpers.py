"""Small builders for the competition tests."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from yunghap.competitions import services
from yunghap.competitions.models import Entry, ReviewerAssignment


def submitted_group_entry(competition: Any, *, group: Any = None, title: str = "", at: Any = None) -> Entry:
    """A submitted entry of a group (made directly: the entry rules have their own tests)."""
    if group is None:
        group = GroupFactory()
        MembershipFactory(group=group, firm=FirmFactory())
    return Entry.objects.create(
        competition=competition,
        group=group,
        title=title or f"{group.name} 출품",
        summary="요약",
        status=Entry.Status.SUBMITTED,
        submitted_at=at or timezone.now(),
    )


def score(assignment: ReviewerAssignment, points: list[Any], actor: Any = None) -> Any:
    criteria = list(assignment.entry.competition.criteria.all())
    return services.submit_scores(
        assignment,
        actor=actor or assignment.reviewer.user,
        scores={c.pk: (Decimal(str(p)), "근거가 충분합니다.") for c, p in zip(criteria, points, strict=True)},
    )


def close_entries(competition: Any) -> None:
    competition.entry_opens = timezone.localdate() - datetime.timedelta(days=20)
    competition.entry_closes = timezone.localdate() - datetime.timedelta(days=1)
    competition.save(update_fields=["entry_opens", "entry_closes"])
