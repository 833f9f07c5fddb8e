"""A group's page shows its latest ended periods; the whole history is one link away."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from yunghap.accounts.models import Role
from yunghap.network.views import FORMER_SHOWN

pytestmark = pytest.mark.django_db


def test_latest_ended_periods_first_and_whole_history_on_request(client):
    group = GroupFactory(code="seoul-hist", founded_on=datetime.date(1990, 1, 1))
    total = FORMER_SHOWN + 5
    for year in range(total):
        MembershipFactory(
            group=group,
            firm=FirmFactory(name=f"지난기업{year:02d}"),
            joined_on=datetime.date(1991 + year, 1, 1),
            left_on=datetime.date(1991 + year, 12, 31),
        )
    client.force_login(make_user("central", Role.CENTRAL_STAFF))

    page = client.get("/groups/seoul-hist/")
    assert len(page.context["former"]) == FORMER_SHOWN
    assert page.context["former"][0].firm.name == f"지난기업{total - 1:02d}"  # the latest first
    assert 'href="?history=all' in page.content.decode()

    whole = client.get("/groups/seoul-hist/?history=all")
    assert len(whole.context["former"]) == total
    assert 'href="?history=all' not in whole.content.decode()
