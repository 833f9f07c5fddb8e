"""Competitions under concurrency (PostgreSQL, two connections): two managers recording the awards at once
make one set; two automatic assignments at once never assign a reviewer twice; the same group entering twice
at once makes one entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.competitions.helpers import close_entries, score, submitted_group_entry
from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.factories import make_reviewer
from yunghap.accounts.models import Role
from yunghap.competitions import services
from yunghap.competitions.models import Award, Entry, ReviewerAssignment

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def test_two_managers_recording_awards_at_once_make_one_set(comp):
    for title in ("A", "B"):
        entry = submitted_group_entry(comp.competition, title=title)
        score(
            ReviewerAssignment.objects.create(entry=entry, reviewer=comp.reviewer),
            [9, 8] if title == "A" else [5, 5],
        )
    close_entries(comp.competition)
    other = make_user("central-2", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: services.record_awards(comp.competition, actor=comp.users["seoul"]),
        lambda: services.record_awards(comp.competition, actor=other),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == [
        "수상은 이미 기록되었습니다. 기록된 수상은 바꿀 수 없습니다."
    ]
    assert list(Award.objects.order_by("rank").values_list("rank", "entry__title")) == [(1, "A"), (2, "B")]


def test_two_automatic_assignments_at_once_assign_each_pair_once(comp):
    for _ in range(3):
        submitted_group_entry(comp.competition)
    make_reviewer()
    other = make_user("central-2", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: services.auto_assign(comp.competition, actor=comp.users["seoul"]),
        lambda: services.auto_assign(comp.competition, actor=other),
    )
    assert not [r for r in results if isinstance(r, Exception)]
    assert sorted(len(r) for r in results) == [0, 3]  # one reviewer per entry, planned once
    assert ReviewerAssignment.objects.count() == 3


def test_the_same_group_entering_twice_at_once_makes_one_entry(comp):
    def enter():
        return services.create_entry(
            comp.competition,
            actor=comp.users["officer"],
            group=comp.net.seoul_group,
            title="동시 출품",
            summary="요약",
        )

    results = at_once(enter, enter)
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    assert refused[0].message_dict == {"entrant": ["이 교류회·협력체는 이미 이 경진대회에 출품했습니다."]}
    assert Entry.objects.count() == 1
