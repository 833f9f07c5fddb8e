"""One rule, one function: the web path (services) and the import path give the same answer for the same
case, word for word (issue 8 §8): membership periods and ledger dates."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from tests.transfer.conftest import MEMBERSHIP_HEADER, run
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.network import services as network
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db
D = datetime.date
TOMORROW = timezone.localdate() + datetime.timedelta(days=1)


@pytest.fixture
def setting(db):
    central = make_user("central", Role.CENTRAL_STAFF)
    group = GroupFactory(code="rg1", founded_on=D(2000, 1, 1))
    firms = [FirmFactory(name=f"규칙회사{i}") for i in range(3)]
    MembershipFactory(group=group, firm=firms[0], role=Membership.Role.CHAIR, joined_on=D(2005, 1, 1))
    MembershipFactory(group=group, firm=firms[1], joined_on=D(2005, 1, 1), left_on=D(2008, 12, 31))
    return group, firms, central


def _service_errors(call) -> set[tuple[str, str]]:
    try:
        call()
    except ValidationError as exc:
        return {(field, str(m)) for field, messages in exc.message_dict.items() for m in messages}
    return set()


def _import_errors(report) -> set[tuple[str, str]]:
    return {(e.column, e.message) for e in report.errors}


# (firm index, role, joined_on, left_on, expected (field, start of the message) or None when allowed)
MEMBERSHIP_CASES = [
    (2, "member", TOMORROW, None, ("joined_on", "가입일은 오늘 이후일 수 없습니다.")),
    (2, "member", D(2006, 1, 1), D(2005, 12, 31), ("left_on", "탈퇴일은 가입일보다 빠를 수 없습니다.")),
    (2, "member", D(1999, 1, 1), None, ("joined_on", "가입일은 교류회 창립일보다 빠를 수 없습니다.")),
    (
        1,
        "member",
        D(2007, 1, 1),
        D(2009, 1, 1),
        ("joined_on", "이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."),
    ),
    (
        2,
        "chair",
        D(2010, 1, 1),
        None,
        ("role", "같은 기간에 회장 직책을 맡은 회원사(규칙회사0)가 이미 있습니다."),
    ),
    (1, "member", D(2008, 12, 31), None, None),  # rejoining on the day of leaving: periods are [joined, left)
]


@pytest.mark.parametrize("firm, role, joined_on, left_on, expected", MEMBERSHIP_CASES)
@pytest.mark.parametrize("path", ["service", "import"])
def test_membership_period_rules_on_every_path(setting, path, firm, role, joined_on, left_on, expected):
    group, firms, actor = setting
    if path == "service":
        found = _service_errors(
            lambda: network.add_membership(
                group, firms[firm], actor=actor, role=role, joined_on=joined_on, left_on=left_on
            )
        )
    else:
        row = [
            group.code,
            firms[firm].brn,
            role,
            joined_on.isoformat(),
            left_on.isoformat() if left_on else "",
        ]
        found = _import_errors(run("memberships", [MEMBERSHIP_HEADER, row], actor=actor))
    assert found == ({expected} if expected else set())


TRADE_HEADER = ["group_code", "buyer_brn", "seller_brn", "item", "amount_krw", "traded_on"]
DATE_CASES = [
    (TOMORROW, "오늘 이후의 날짜는 기록할 수 없습니다."),
    (D(1999, 6, 1), "교류회 창립일(2000-01-01)보다 빠른 날짜입니다."),
    (D(2006, 6, 1), None),
]


@pytest.mark.parametrize("traded_on, expected", DATE_CASES)
@pytest.mark.parametrize("path", ["service", "import"])
def test_ledger_date_rules_on_every_path(setting, path, traded_on, expected):
    group, firms, actor = setting
    if path == "service":
        found = _service_errors(
            lambda: ledger.record_trade(
                group,
                actor=actor,
                buyer=firms[0],
                seller=firms[1],
                item="금형",
                amount_krw=1000,
                traded_on=traded_on,
            )
        )
    else:
        row = [group.code, firms[0].brn, firms[1].brn, "금형", "1000", traded_on.isoformat()]
        found = _import_errors(run("trades", [TRADE_HEADER, row], actor=actor))
    # Before the founding date the two firms were not members either; only the date rule is compared here.
    dated = {(field, message) for field, message in found if field == "traded_on"}
    assert dated == ({("traded_on", expected)} if expected else set())
