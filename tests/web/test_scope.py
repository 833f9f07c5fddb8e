"""Outside one's scope a page is a 404; visible but not permitted to change is a 403 (GET and POST)."""

from __future__ import annotations

import pytest

from yunghap.network.models import ExchangeGroup, Membership

pytestmark = pytest.mark.django_db


def urls(network):
    seoul_membership = Membership.objects.get(group=network.seoul_group, firm=network.member_firm)
    return {
        "seoul_group": "/groups/seoul-a/",
        "seoul_group_edit": "/groups/seoul-a/edit/",
        "seoul_members_new": "/groups/seoul-a/members/new/",
        "seoul_membership_edit": f"/memberships/{seoul_membership.pk}/edit/",
        "other_seoul_group": "/groups/seoul-b/",
        "busan_group": "/groups/busan-a/",
        "group_new": "/groups/new/",
        "firm_new": "/firms/new/",
        "member_firm": f"/firms/{network.member_firm.brn}/",
        "member_firm_edit": f"/firms/{network.member_firm.brn}/edit/",
        "chair_firm": f"/firms/{network.chair_firm.brn}/",
        "chair_firm_edit": f"/firms/{network.chair_firm.brn}/edit/",
        "busan_firm": f"/firms/{network.busan_firm.brn}/",
        "busan_firm_edit": f"/firms/{network.busan_firm.brn}/edit/",
        "seoul_federation": "/federations/seoul/",
        "busan_federation": "/federations/busan/",
    }


EXPECTED = {
    "central": {},  # everything 200
    "seoul": {
        "busan_group": 404,
        "busan_firm": 404,
        "busan_firm_edit": 404,
        "busan_federation": 404,
    },
    "busan": {
        "seoul_group": 404,
        "seoul_group_edit": 404,
        "seoul_members_new": 404,
        "seoul_membership_edit": 404,
        "other_seoul_group": 404,
        "member_firm": 404,
        "member_firm_edit": 404,
        "chair_firm": 404,
        "chair_firm_edit": 404,
        "seoul_federation": 404,
    },
    "officer": {
        "other_seoul_group": 404,
        "busan_group": 404,
        "group_new": 403,
        "member_firm_edit": 403,
        "chair_firm_edit": 403,
        "busan_firm": 404,
        "busan_firm_edit": 404,
        "busan_federation": 404,
    },
    "firm": {
        "seoul_group_edit": 403,
        "seoul_members_new": 403,
        "seoul_membership_edit": 403,
        "other_seoul_group": 404,
        "busan_group": 404,
        "group_new": 403,
        "firm_new": 403,
        "chair_firm": 404,
        "chair_firm_edit": 404,
        "busan_firm": 404,
        "busan_firm_edit": 404,
        "busan_federation": 404,
    },
    "coordinator": {
        "seoul_group_edit": 403,
        "seoul_members_new": 403,
        "seoul_membership_edit": 403,
        "other_seoul_group": 404,
        "busan_group": 404,
        "group_new": 403,
        "firm_new": 403,
        "member_firm_edit": 403,
        "chair_firm_edit": 403,
        "busan_firm": 404,
        "busan_firm_edit": 404,
        "busan_federation": 404,
    },
    "nobody": {"group_new": 403, "firm_new": 403},  # every other page: 404
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_get_matrix(network, login, role):
    client = login(network.users[role])
    default = 404 if role == "nobody" else 200
    got = {name: client.get(url).status_code for name, url in urls(network).items()}
    wanted = {name: EXPECTED[role].get(name, default) for name in got}
    assert got == wanted


@pytest.mark.parametrize(
    ("role", "name", "status"),
    [
        ("firm", "seoul_group_edit", 403),
        ("coordinator", "seoul_group_edit", 403),
        ("busan", "seoul_group_edit", 404),
        ("firm", "seoul_membership_edit", 403),
        ("firm", "seoul_members_new", 403),
    ],
)
def test_post_is_refused_and_changes_nothing(network, login, role, name, status):
    client = login(network.users[role])
    response = client.post(
        urls(network)[name],
        {
            "name": "바꿈",
            "code": "seoul-a",
            "role": "chair",
            "joined_on": "2001-01-01",
            "brn": network.busan_firm.brn,
        },
    )
    assert response.status_code == status
    assert ExchangeGroup.objects.get(code="seoul-a").name == "테헤란기술교류회"
    assert not Membership.objects.filter(firm=network.busan_firm, group=network.seoul_group).exists()
    assert (
        not Membership.objects.filter(group=network.seoul_group, role="chair")
        .exclude(firm=network.chair_firm)
        .exists()
    )
