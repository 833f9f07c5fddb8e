"""Mentoring under concurrency (PostgreSQL, two connections): two proposals of the same two firms for
overlapping periods at once make one pair (the firms' rows are locked before the overlap is checked)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user
from tests.helpers import at_once
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.coaching import services
from yunghap.coaching.models import Mentorship

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_proposals_of_the_same_pair_at_once_make_one():
    group = GroupFactory(code="race-group")
    senior = FirmFactory(name="선배금형", industry=industry("29"))
    junior = FirmFactory(name="후배센서", industry=industry("26"))
    for firm in (senior, junior):
        MembershipFactory(group=group, firm=firm)
    ledger.record_outcome(
        group, actor=None, kind="patent", title="특허", achieved_on=datetime.date(2025, 1, 1), firms=[senior]
    )
    one, two = make_user("central-m1", Role.CENTRAL_STAFF), make_user("central-m2", Role.CENTRAL_STAFF)
    today = timezone.localdate()

    def propose(actor, days):
        return services.propose_mentorship(
            actor=actor,
            senior=senior,
            junior=junior,
            starts_on=today,
            ends_on=today + datetime.timedelta(days=days),
            goals="목표",
        )

    results = at_once(lambda: propose(one, 90), lambda: propose(two, 120))
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1
    assert refused[0].message_dict == {
        "starts_on": ["같은 두 기업의 멘토링이 이 기간에 이미 제안되었거나 진행 중입니다."]
    }
    assert Mentorship.objects.count() == 1
