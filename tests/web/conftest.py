"""A small network in two regions and one user per role, for the registry pages' tests."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role
from yunghap.network.models import ExchangeGroup, ExchangeType, Firm, Membership

PASSWORD_OF = "pw-{}-2026!"


@dataclass
class Network:
    seoul_group: ExchangeGroup
    seoul_other: ExchangeGroup
    busan_group: ExchangeGroup
    chair_firm: Firm
    member_firm: Firm
    former_firm: Firm
    busan_firm: Firm
    users: dict[str, Any]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The filter forms cache reference choices; each test starts cold so query counts do not depend on order.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Seven users per test with the production hasher would spend seconds hashing passwords.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def network(db) -> Network:
    seoul, busan = region("seoul"), region("busan")
    seoul_group = GroupFactory(code="seoul-a", name="테헤란기술교류회", federation=seoul)
    seoul_group.exchange_types.set(ExchangeType.objects.filter(code__in=["info", "newproduct"]))
    seoul_other = GroupFactory(code="seoul-b", name="구로융합교류회", federation=seoul)
    busan_group = GroupFactory(code="busan-a", name="해운대교류회", federation=busan)

    chair_firm = FirmFactory(
        name="광빛차체", industry=industry("30"), representative="김혜민", phone="010-6278-1954"
    )
    member_firm = FirmFactory(name="새영테크", industry=industry("26"))
    former_firm = FirmFactory(name="떠난기업", industry=industry("26"))
    busan_firm = FirmFactory(name="부산정밀", federation=busan, industry=industry("29"))
    other_firm = FirmFactory(name="구로전자", industry=industry("26"))

    MembershipFactory(group=seoul_group, firm=chair_firm, role=Membership.Role.CHAIR)
    MembershipFactory(group=seoul_group, firm=member_firm)
    MembershipFactory(
        group=seoul_group,
        firm=former_firm,
        joined_on=datetime.date(2003, 1, 1),
        left_on=datetime.date(2010, 6, 30),
    )
    MembershipFactory(group=seoul_other, firm=other_firm)
    MembershipFactory(group=busan_group, firm=busan_firm, role=Membership.Role.CHAIR)

    users = {
        "central": make_user("central", Role.CENTRAL_STAFF),
        "seoul": make_user("seoul", Role.REGIONAL_STAFF, federation=seoul),
        "busan": make_user("busan", Role.REGIONAL_STAFF, federation=busan),
        "officer": make_user("officer", Role.GROUP_OFFICER, group=seoul_group),
        "firm": make_user("firmuser", Role.FIRM_USER, firm=member_firm),
        "coordinator": make_user("coord", Role.COORDINATOR, group=seoul_group),
        "nobody": make_user("nobody"),
    }
    return Network(
        seoul_group, seoul_other, busan_group, chair_firm, member_firm, former_firm, busan_firm, users
    )


@pytest.fixture
def login(client):
    def _login(user: Any) -> Any:
        client.force_login(user)
        return client

    return _login
