from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role

JOINED = datetime.date(2020, 1, 1)


@pytest.fixture
def ledger(db):
    """A Seoul group with three members (one who left in 2024), an outsider firm, and a Busan group."""
    group = GroupFactory(code="seoul-t01", name="서울시험교류회")
    alpha = FirmFactory(name="가나전자")
    beta = FirmFactory(name="다라금속")
    gamma = FirmFactory(name="마바소프트")
    outsider = FirmFactory(name="외부기업")
    MembershipFactory(group=group, firm=alpha, joined_on=JOINED)
    MembershipFactory(group=group, firm=beta, joined_on=JOINED)
    MembershipFactory(group=group, firm=gamma, joined_on=JOINED, left_on=datetime.date(2024, 6, 30))
    other = GroupFactory(code="busan-t01", name="부산시험교류회", federation=region("busan"))
    MembershipFactory(group=other, firm=outsider, joined_on=JOINED)
    return SimpleNamespace(group=group, other=other, alpha=alpha, beta=beta, gamma=gamma, outsider=outsider)


@pytest.fixture
def officer(ledger):
    return make_user("officer1", Role.GROUP_OFFICER, group=ledger.group)


@pytest.fixture
def other_officer(ledger):
    return make_user("officer2", Role.GROUP_OFFICER, group=ledger.other)


@pytest.fixture
def seoul_staff(ledger):
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))


@pytest.fixture
def busan_staff(ledger):
    return make_user("busanstaff", Role.REGIONAL_STAFF, federation=region("busan"))


@pytest.fixture
def central(ledger):
    return make_user("central1", Role.CENTRAL_STAFF)


@pytest.fixture
def member_user(ledger):
    return make_user("firmuser", Role.FIRM_USER, firm=ledger.alpha)
