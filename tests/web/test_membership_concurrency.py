"""Issue 7, finding 4 (last bullet): membership rules hold under concurrency.

Two writers of one group's memberships at the same time must not both pass the checks (one chair at a
time, no overlapping periods for a firm): every writer locks the group row before it validates.
"""

from __future__ import annotations

import datetime
import functools

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from tests.helpers import at_once
from tests.transfer.conftest import MEMBERSHIP_HEADER, run
from yunghap.network import services
from yunghap.network.imports import MembershipImporter
from yunghap.network.models import Membership

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op there) and lets one "
    "connection write at a time, so the race shows as 'database is locked', not as two chairs; CI runs "
    "this on PostgreSQL (DATABASE_URL=postgres://…)",
)

TRIES = 5


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_chairs_for_one_period_cannot_both_be_added():
    for attempt in range(TRIES):
        group = GroupFactory(founded_on=datetime.date(2000, 1, 1))
        first, second = FirmFactory(), FirmFactory()

        add = functools.partial(
            services.add_membership,
            actor=None,
            role=Membership.Role.CHAIR,
            joined_on=datetime.date(2024, 1, 2),
        )
        results = at_once(functools.partial(add, group, first), functools.partial(add, group, second))
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, f"try {attempt + 1}: {results}"
        assert "회장 직책을 맡은 회원사" in refused[0].message_dict["role"][0]
        assert Membership.objects.filter(group=group, role=Membership.Role.CHAIR).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_overlapping_periods_for_one_firm_cannot_both_be_added():
    for attempt in range(TRIES):
        group = GroupFactory(founded_on=datetime.date(2000, 1, 1))
        firm = FirmFactory()

        add = functools.partial(services.add_membership, group, firm, actor=None)
        results = at_once(
            functools.partial(add, joined_on=datetime.date(2024, 1, 2)),
            functools.partial(add, joined_on=datetime.date(2024, 2, 3)),
        )
        refused = [r for r in results if isinstance(r, ValidationError)]
        assert len(refused) == 1, f"try {attempt + 1}: {results}"
        assert refused[0].message_dict["joined_on"] == [
            "이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."
        ]
        assert Membership.objects.filter(group=group, firm=firm).count() == 1


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_an_import_and_a_form_racing_for_the_chair():
    for attempt in range(TRIES):
        group = GroupFactory(founded_on=datetime.date(2000, 1, 1))
        first, second = FirmFactory(), FirmFactory()
        rows = [MEMBERSHIP_HEADER, [group.code, first.brn, "chair", "2024-01-02", ""]]
        results = at_once(
            functools.partial(run, "memberships", rows),
            functools.partial(
                services.add_membership,
                group,
                second,
                actor=None,
                role=Membership.Role.CHAIR,
                joined_on=datetime.date(2024, 1, 2),
            ),
        )
        assert Membership.objects.filter(group=group, role=Membership.Role.CHAIR).count() == 1, (
            f"try {attempt + 1}: {results}"
        )


@pytest.mark.django_db
def test_an_import_checks_again_when_the_group_changed_after_its_check(monkeypatch):
    """The import checks its rows, then another user adds a chair before its write: the write checks
    again under the group lock, refuses, and writes nothing (any database)."""
    group = GroupFactory(founded_on=datetime.date(2000, 1, 1))
    first, second = FirmFactory(), FirmFactory(name="먼저온회장")
    original = MembershipImporter.plan
    calls = []

    def plan_then_someone_writes(self, rows):
        result = original(self, rows)
        if not calls:
            MembershipFactory(group=group, firm=second, role="chair", joined_on=datetime.date(2023, 1, 1))
        calls.append(1)
        return result

    monkeypatch.setattr(MembershipImporter, "plan", plan_then_someone_writes)
    report = run("memberships", [MEMBERSHIP_HEADER, [group.code, first.brn, "chair", "2024-01-02", ""]])
    assert len(calls) == 2
    assert [(e.row, e.column) for e in report.errors] == [(2, "role")]
    assert "먼저온회장" in report.errors[0].message
    assert not Membership.objects.filter(firm=first).exists()
