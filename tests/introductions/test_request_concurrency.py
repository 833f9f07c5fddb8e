"""소개 요청 races (PostgreSQL, two connections): two presses ask once; two handlers introduce once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from tests.helpers import at_once
from yunghap.accounts.models import Role, RoleGrant
from yunghap.introductions import requests
from yunghap.introductions.models import Introduction, IntroductionRequest
from yunghap.matching.models import Posting

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="row locks and concurrent constraint checks need PostgreSQL (DATABASE_URL=postgres://…)",
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def setting():
    group = GroupFactory(name="서울교류회")
    seeker = FirmFactory(name="(주)수요", industry=industry("26"))
    partner = FirmFactory(name="(주)공급", industry=industry("29"), federation=region("busan"))
    MembershipFactory(group=group, firm=seeker)
    need = Posting.objects.create(
        firm=seeker,
        kind=Posting.Kind.NEED,
        title="금형 협력",
        expires_on=datetime.date.today() + datetime.timedelta(days=30),
        review_status=Posting.ReviewStatus.APPROVED,
    )
    one = make_user("partner-1", Role.FIRM_USER, firm=partner)
    two = make_user("partner-2", Role.FIRM_USER, firm=partner)
    coordinator = make_user("coord-a", Role.COORDINATOR, group=group)
    colleague = make_user("coord-b", Role.COORDINATOR, group=group)
    return {"need": need, "one": one, "two": two, "coordinator": coordinator, "colleague": colleague}


def test_two_users_of_a_firm_asking_at_once_make_one_request(setting):
    need = setting["need"]
    results = at_once(
        lambda: requests.request_introduction(need, actor=setting["one"]),
        lambda: requests.request_introduction(need, actor=setting["two"]),
    )
    assert IntroductionRequest.objects.count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "이미 검토 중" in refused[0].messages[0]


def test_two_coordinators_introducing_at_once_make_one_introduction(setting):
    req = requests.request_introduction(setting["need"], actor=setting["one"])
    assert RoleGrant.objects.filter(role=Role.COORDINATOR).count() == 2
    results = at_once(
        lambda: requests.introduce_on_request(req, actor=setting["coordinator"]),
        lambda: requests.introduce_on_request(req, actor=setting["colleague"]),
    )
    assert Introduction.objects.count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "이미 처리된 소개 요청" in refused[0].messages[0]
