"""Finding 10 of issue 7: statistics pages read the materialised figures and never rebuild them.

A change to a source marks its group stale inside the writer's transaction; on commit the rebuild task
runs (the immediate backend here and in development, the database worker in production), so the figures
are right after the change without any page writing.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from tests.helpers import assert_no_writes
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.insights.figures import refresh_group_months
from yunghap.insights.models import GroupMonth, StaleGroup
from yunghap.surveys.models import Survey

D = datetime.date


@pytest.fixture
def group(db):
    group = GroupFactory(code="seoul-v1")
    firms = [FirmFactory() for _ in range(3)]
    for firm in firms:
        MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 5), present_firm_ids=[firms[0].pk])
    Survey.objects.create(year=2025, opened_on=D(2025, 12, 1))
    refresh_group_months()
    return group


def _meetings(group, month):
    return GroupMonth.objects.get(group=group, month=month).meetings


def test_statistics_pages_with_a_stale_group_write_nothing(client, group):
    ledger.record_meeting(group, actor=None, held_on=D(2025, 2, 5), present_firm_ids=[])  # not committed
    assert StaleGroup.objects.filter(group_id=group.pk).exists()
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    pages = [
        (reverse("insights:trends"), {"from": 2025, "to": 2025}),
        (reverse("insights:trends"), {"from": 2025, "to": 2025, "industry": "26"}),
        (reverse("insights:survey"), {"year": 2025}),
        (reverse("insights:print"), {"year": 2025}),
        (reverse("insights:group", args=[group.code]), {}),
    ]
    for url, params in pages:
        with assert_no_writes():
            assert client.get(url, params).status_code == 200, url
    assert StaleGroup.objects.filter(group_id=group.pk).exists()
    assert _meetings(group, D(2025, 2, 1)) == 0  # the materialised row, as it was


def test_a_committed_change_rebuilds_its_group_in_the_background(group, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ledger.record_meeting(group, actor=None, held_on=D(2025, 2, 5), present_firm_ids=[])
    assert not StaleGroup.objects.exists()
    assert _meetings(group, D(2025, 2, 1)) == 1


def test_a_rolled_back_change_enqueues_nothing(group, django_capture_on_commit_callbacks):
    from django.db import transaction

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError, match="rolled back"),
        transaction.atomic(),
    ):
        ledger.record_meeting(group, actor=None, held_on=D(2025, 2, 5), present_firm_ids=[])
        raise RuntimeError("rolled back")
    assert callbacks == []
