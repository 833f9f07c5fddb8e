from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.network.models import Membership
from yunghap.surveys.models import Survey


@pytest.fixture
def world(db):
    """Two Seoul groups and one Busan group (with officers' chairs), an open survey for last year."""
    seoul_a = GroupFactory(code="seoul-s01", name="서울가교류회")
    seoul_b = GroupFactory(code="seoul-s02", name="서울나교류회")
    busan = GroupFactory(code="busan-s01", name="부산가교류회", federation=region("busan"))
    young = GroupFactory(code="seoul-new", name="새교류회", founded_on=datetime.date.today())
    for group in (seoul_a, seoul_b, busan):
        MembershipFactory(
            group=group, firm=FirmFactory(email=f"chair@{group.code}.example"), role=Membership.Role.CHAIR
        )
        MembershipFactory(group=group)
    year = datetime.date.today().year - 1
    survey = Survey.objects.create(year=year, opened_on=datetime.date.today())
    return SimpleNamespace(
        seoul_a=seoul_a, seoul_b=seoul_b, busan=busan, young=young, survey=survey, year=year
    )


@pytest.fixture
def central(world):
    return make_user("central", Role.CENTRAL_STAFF)


@pytest.fixture
def seoul_staff(world):
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))


@pytest.fixture
def officer(world):
    user = make_user("officer_a", Role.GROUP_OFFICER, group=world.seoul_a)
    user.email = "officer_a@example.com"
    user.save()
    return user


@pytest.fixture
def busan_officer(world):
    return make_user("officer_busan", Role.GROUP_OFFICER, group=world.busan)
