"""Test data builders shared by every test module."""

from __future__ import annotations

import datetime
import random

import factory

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.accounts.scope import forget_scope
from yunghap.core.validators import brn_is_valid
from yunghap.network.models import ExchangeGroup, Federation, Firm, Industry, Membership

_rng = random.Random(20091201)


def make_brn(seq: int) -> str:
    """A valid business registration number, unique per `seq` (last digit is the check digit)."""
    base = f"{100 + seq % 800:03d}{81 + seq % 7:02d}{seq % 10000:04d}"
    for check in range(10):
        if brn_is_valid(base + str(check)):
            return base + str(check)
    raise AssertionError("no check digit")


def region(code: str = "seoul") -> Federation:
    return Federation.objects.get(code=code)


def industry(code: str = "26") -> Industry:
    return Industry.objects.get(code=code)


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ExchangeGroup

    code = factory.Sequence(lambda n: f"g{n:04d}")
    name = factory.Sequence(lambda n: f"테스트교류회{n}")
    federation = factory.LazyFunction(lambda: region("seoul"))
    founded_on = datetime.date(2000, 3, 1)


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    brn = factory.Sequence(lambda n: make_brn(n + 1))
    name = factory.Sequence(lambda n: f"(주)테스트{n}")
    representative = "홍길동"
    phone = "010-1234-5678"
    email = factory.Sequence(lambda n: f"ceo{n}@example.com")
    federation = factory.LazyFunction(lambda: region("seoul"))
    industry = factory.LazyFunction(lambda: industry("26"))
    employees = 25


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    group = factory.SubFactory(GroupFactory)
    firm = factory.SubFactory(FirmFactory)
    role = Membership.Role.MEMBER
    joined_on = datetime.date(2005, 1, 1)


def make_user(username: str, role: str | None = None, **scope: object) -> User:
    """A user with one role grant (`federation=`, `group=` or `firm=` as the role needs)."""
    user = User.objects.create_user(username=username, password="pw-" + username + "-2026!")
    if role:
        RoleGrant.objects.create(user=user, role=role, **scope)
    forget_scope(user)
    return user


ROLE_NAMES = [r.value for r in Role]
