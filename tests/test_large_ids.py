"""Ids in forms are never written with thousands separators (USE_THOUSAND_SEPARATOR is on for display).

The demo network has 5,684 firms: an attendance tick box with value "5,685" would be refused on save.
"""

from __future__ import annotations

import datetime

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from yunghap.accounts.models import Role


@pytest.mark.django_db
def test_attendance_sheet_posts_plain_firm_ids(client):
    group = GroupFactory(code="seoul-ids")
    firm = FirmFactory(pk=123456)
    MembershipFactory(group=group, firm=firm, joined_on=datetime.date(2020, 1, 1))
    client.force_login(make_user("officer", Role.GROUP_OFFICER, group=group))
    page = client.get("/activities/groups/seoul-ids/meetings/new/?held_on=2025-03-13").content.decode()
    assert 'value="123456"' in page
    assert "123,456" not in page
    response = client.post(
        "/activities/groups/seoul-ids/meetings/new/",
        {"kind": "monthly", "held_on": "2025-03-13", "present": ["123456"]},
    )
    assert response.status_code == 302
