"""The coaching demo: the coordinator's sessions with a quiet group and next steps due, two mentoring pairs
(one active for the `firm` login's firm, one ended with both reviews); a second run changes nothing; the
reset deletes what protects the network."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from tests.conftest import refill_reference_data
from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.activities import demo as activities_demo
from yunghap.coaching import demo as coaching_demo
from yunghap.coaching.caseload import caseload_of
from yunghap.coaching.models import CoachingSession, Mentorship
from yunghap.network.demo import DEFAULT_SEED
from yunghap.programmes import demo as programmes_demo


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--network-only", stdout=io.StringIO())
            for module in (programmes_demo, activities_demo):
                module.build_demo(seed=DEFAULT_SEED, stdout=io.StringIO())
            out = io.StringIO()
            coaching_demo.build_demo(seed=DEFAULT_SEED, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.usefixtures("built"), pytest.mark.django_db]


def test_the_demo_fills_the_coordinators_caseload(built):
    assert "코칭: coordinator의 코칭 기록" in built
    coordinator = User.objects.get(username="coordinator")
    assert CoachingSession.objects.filter(coordinator=coordinator).count() >= 5
    case = caseload_of(coordinator)
    assert case.quiet_groups and all(
        g.last_contact is None or (case.today - g.last_contact).days > 60 for g in case.quiet_groups
    )
    assert case.steps and case.overdue_count >= 1
    assert case.pre_planning


def test_two_mentoring_pairs_one_active_one_complete():
    firm_login = RoleGrant.objects.get(user__username="firm", role=Role.FIRM_USER).firm_id
    active = Mentorship.objects.get(state="active")
    ended = Mentorship.objects.get(state="ended")
    assert active.junior_id == firm_login and active.sessions.exists()
    assert ended.is_complete


def test_a_second_run_changes_nothing_and_the_reset_clears_coaching():
    before = CoachingSession.objects.count()
    out = io.StringIO()
    coaching_demo.build_demo(seed=DEFAULT_SEED, stdout=out)
    assert "이미 있어" in out.getvalue() and CoachingSession.objects.count() == before
    coaching_demo.reset_demo()
    assert not CoachingSession.objects.exists() and not Mentorship.objects.exists()
