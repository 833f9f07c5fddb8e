"""Issue 7, finding 1: who may add which firm to a group, for which period — one table, two paths.

The same cases (actor × firm × period → expected rule code) run through the web membership form and the
memberships import: both must call the same rule functions (`yunghap.network.rules`) and agree.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_brn, make_user, region
from tests.transfer.conftest import MEMBERSHIP_HEADER, run
from yunghap.accounts.models import Role, RoleGrant
from yunghap.accounts.scope import forget_scope
from yunghap.core.imports import IMPORTERS
from yunghap.network import rules
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db

OK = "ok"
NOT_FOUND = rules.FIRM_NOT_FOUND
ENDED = rules.ENDED_PERIOD_NOT_OWN_FEDERATION
CURRENT = ("2024-01-02", "")
PAST = ("2020-01-01", "2020-01-02")  # an already-ended period: `joined_on=2020-01-01&left_on=2020-01-02`

# actor, firm, period → expected. Firms: `seoul_b_member` a Seoul firm, current member of seoul-b;
# `seoul_free` a Seoul firm in no group; `busan` a Busan firm of a Busan group; `busan_in_seoul` a Busan
# firm, current member of seoul-b; `unknown` a valid number nobody registered. Officers and Seoul staff add
# to seoul-a, Busan staff to busan-a, central staff to seoul-a.
CASES = [
    ("officer", "seoul_b_member", CURRENT, OK),
    ("officer", "seoul_b_member", PAST, ENDED),
    ("officer", "seoul_free", CURRENT, NOT_FOUND),
    ("officer", "seoul_free", PAST, NOT_FOUND),
    ("officer", "busan", CURRENT, NOT_FOUND),
    ("officer", "busan", PAST, NOT_FOUND),  # the reproduction of the finding
    ("officer", "busan_in_seoul", CURRENT, OK),
    ("officer", "busan_in_seoul", PAST, ENDED),
    ("officer", "unknown", CURRENT, NOT_FOUND),
    ("seoul", "seoul_b_member", PAST, OK),
    ("seoul", "seoul_free", CURRENT, OK),
    ("seoul", "seoul_free", PAST, OK),
    ("seoul", "busan", CURRENT, NOT_FOUND),
    ("seoul", "busan", PAST, NOT_FOUND),
    ("seoul", "busan_in_seoul", CURRENT, OK),
    ("seoul", "busan_in_seoul", PAST, ENDED),
    ("seoul", "unknown", PAST, NOT_FOUND),
    ("busan", "busan_in_seoul", PAST, OK),
    ("busan", "seoul_free", CURRENT, NOT_FOUND),
    ("busan", "seoul_b_member", CURRENT, NOT_FOUND),
    ("central", "busan", PAST, OK),
    ("central", "seoul_free", CURRENT, OK),
    ("central", "unknown", CURRENT, NOT_FOUND),
]
IDS = [f"{actor}-{firm}-{'past' if period == PAST else 'current'}" for actor, firm, period, _e in CASES]


@pytest.fixture
def world():
    seoul_a = GroupFactory(code="seoul-a", founded_on=datetime.date(2000, 1, 1))
    seoul_b = GroupFactory(code="seoul-b", founded_on=datetime.date(2000, 1, 1))
    busan_a = GroupFactory(code="busan-a", federation=region("busan"), founded_on=datetime.date(2000, 1, 1))
    firms = {
        "seoul_b_member": FirmFactory(name="서울비회원사"),
        "seoul_free": FirmFactory(name="서울무소속"),
        "busan": FirmFactory(name="부산전용기업", federation=region("busan")),
        "busan_in_seoul": FirmFactory(name="부산서울회원", federation=region("busan")),
    }
    MembershipFactory(group=seoul_b, firm=firms["seoul_b_member"], joined_on=datetime.date(2021, 1, 1))
    MembershipFactory(group=seoul_b, firm=firms["busan_in_seoul"], joined_on=datetime.date(2021, 1, 1))
    MembershipFactory(group=busan_a, firm=firms["busan"], joined_on=datetime.date(2021, 1, 1))
    officer = make_user("officer", Role.GROUP_OFFICER, group=seoul_a)
    RoleGrant.objects.create(user=officer, role=Role.GROUP_OFFICER, group=seoul_b)
    forget_scope(officer)
    users = {
        "officer": officer,
        "seoul": make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul")),
        "busan": make_user("busan", Role.REGIONAL_STAFF, federation=region("busan")),
        "central": make_user("central", Role.CENTRAL_STAFF),
    }
    groups = {"officer": seoul_a, "seoul": seoul_a, "busan": busan_a, "central": seoul_a}
    return SimpleNamespace(firms=firms, users=users, groups=groups)


def _brn(world, firm_key):
    return make_brn(9999) if firm_key == "unknown" else world.firms[firm_key].brn


def _added(world, actor, firm_key):
    return Membership.objects.filter(group=world.groups[actor], firm__brn=_brn(world, firm_key)).exists()


@pytest.mark.parametrize(("actor", "firm_key", "period", "expected"), CASES, ids=IDS)
def test_web_form(client, world, actor, firm_key, period, expected):
    client.force_login(world.users[actor])
    group = world.groups[actor]
    joined_on, left_on = period
    response = client.post(
        reverse("network:membership_create", args=[group.code]),
        {"brn": _brn(world, firm_key), "role": "member", "joined_on": joined_on, "left_on": left_on},
    )
    if expected == OK:
        assert response.status_code == 302, response.context["form"].errors
        assert _added(world, actor, firm_key)
        return
    assert response.status_code == 200
    messages = [m for errors in response.context["form"].errors.values() for m in errors]
    assert messages == [str(rules.MESSAGES[expected])]
    assert not _added(world, actor, firm_key)
    if expected == NOT_FOUND:
        # An existing firm outside scope and an unregistered number get the same page: no name, no region.
        html = response.content.decode()
        assert firm_key == "unknown" or world.firms[firm_key].name not in html
        assert response.context["requestable_brn"] == _brn(world, firm_key)


@pytest.mark.parametrize(("actor", "firm_key", "period", "expected"), CASES, ids=IDS)
def test_import(world, actor, firm_key, period, expected):
    user = world.users[actor]
    if not IMPORTERS["memberships"].allowed(user):
        # Officers do not import: the file path is closed to them altogether (not applicable).
        assert actor == "officer"
        return
    joined_on, left_on = period
    rows = [
        MEMBERSHIP_HEADER,
        [world.groups[actor].code, _brn(world, firm_key), "member", joined_on, left_on],
    ]
    report = run("memberships", rows, actor=user)
    if expected == OK:
        assert report.ok, report.errors
        assert report.created == 1 and _added(world, actor, firm_key)
        return
    assert [e.message for e in report.errors] == [str(rules.MESSAGES[expected])]
    assert not _added(world, actor, firm_key)


def test_an_officer_may_add_a_firm_they_registered_themselves(client, world):
    """The officer's own newcomer: registered by them, in no group yet, so in their scope."""
    from tests.web.test_forms import firm_data
    from yunghap.network.models import Industry

    officer = world.users["officer"]
    client.force_login(officer)
    brn = make_brn(4321)
    data = firm_data(brn=brn, federation=region("seoul").pk, industry=Industry.objects.get(code="58").pk)
    assert client.post(reverse("network:firm_create"), data).status_code == 302
    response = client.post(
        reverse("network:membership_create", args=["seoul-a"]),
        {"brn": brn, "role": "member", "joined_on": "2024-01-02"},
    )
    assert response.status_code == 302
    # Once it is a member somewhere, that exception is gone: another officer cannot take it along.
    other = make_user("other-officer", Role.GROUP_OFFICER, group=world.groups["busan"])
    assert not rules.addable_firm_ids(other, [Membership.objects.get(firm__brn=brn).firm_id])
