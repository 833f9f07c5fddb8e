"""A small network for the introduction tests: a coordinator's group with a firm that needs something, a
partner firm of another industry in another group, their users, and people who must see nothing."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role
from yunghap.introductions import services
from yunghap.matching import posting_services, store
from yunghap.matching.models import Posting


@dataclass
class World:
    group: Any
    other_group: Any
    seeker: Any
    partner: Any
    stranger_firm: Any
    need: Any
    coordinator: Any
    other_coordinator: Any
    seeker_user: Any
    partner_user: Any
    stranger_user: Any


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The production hasher costs ~0.5 s a user on this machine; these tests are not about hashing.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_index():
    # The matching index lives in the process; each test has its own rows.
    store.reset_index()
    yield
    store.reset_index()


@pytest.fixture
def world(db, django_capture_on_commit_callbacks) -> World:
    group = GroupFactory(name="서울융합교류회")
    other_group = GroupFactory(name="부산기술교류회", federation=region("busan"))
    seeker = FirmFactory(
        name="(주)스마트센서", industry=industry("26"), phone="010-1111-2222", email="ceo@sensor.example"
    )
    partner = FirmFactory(
        name="(주)정밀금형",
        industry=industry("29"),
        federation=region("busan"),
        representative="김철수",
        phone="010-9876-5432",
        email="kim@mold.example",
    )
    stranger_firm = FirmFactory(name="(주)다른회사", industry=industry("20"))
    MembershipFactory(group=group, firm=seeker)
    MembershipFactory(group=other_group, firm=partner)
    MembershipFactory(group=other_group, firm=stranger_firm)
    with django_capture_on_commit_callbacks(execute=True):  # the analysis task runs after commit
        need = posting_services.create_posting(
            seeker,
            actor=None,
            kind=Posting.Kind.NEED,
            title="센서 하우징 금형 제작",
            description="IoT 센서를 넣을 플라스틱 하우징의 사출 금형을 만들어 줄 파트너가 필요합니다.",
            keywords=["금형", "사출"],
            expires_on=datetime.date.today() + datetime.timedelta(days=90),
            review_status=Posting.ReviewStatus.APPROVED,
        )
        posting_services.create_posting(
            partner,
            actor=None,
            kind=Posting.Kind.OFFER,
            title="정밀 몰드 제작",
            description="플라스틱 사출 금형을 설계·제작하고 사출성형까지 합니다.",
            expires_on=datetime.date.today() + datetime.timedelta(days=90),
            review_status=Posting.ReviewStatus.APPROVED,
        )
    need.refresh_from_db()
    return World(
        group=group,
        other_group=other_group,
        seeker=seeker,
        partner=partner,
        stranger_firm=stranger_firm,
        need=need,
        coordinator=make_user("coord", Role.COORDINATOR, group=group),
        other_coordinator=make_user("coord2", Role.COORDINATOR, group=other_group),
        seeker_user=make_user("seeker", Role.FIRM_USER, firm=seeker),
        partner_user=make_user("partner", Role.FIRM_USER, firm=partner),
        stranger_user=make_user("stranger", Role.FIRM_USER, firm=stranger_firm),
    )


@pytest.fixture
def intro(world):
    """An introduction the coordinator has just sent to both firms."""
    return services.create_introduction(
        actor=world.coordinator,
        seeker=world.seeker,
        partner=world.partner,
        need=world.need,
        reasons=["금형 일치"],
    )


def password(user) -> str:
    return "pw-" + user.username + "-2026!"
