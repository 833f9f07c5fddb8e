import datetime

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, region
from tests.transfer.conftest import MEMBERSHIP_HEADER, messages, run
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def group():
    return GroupFactory(code="sg1", founded_on=datetime.date(2000, 1, 1))


@pytest.fixture
def firms():
    return [FirmFactory(name=f"회사{i}") for i in range(3)]


def test_memberships_import_with_korean_roles_and_headers(group, firms):
    rows = [
        ["교류회코드", "사업자등록번호", "직책", "가입일", "탈퇴일"],
        ["sg1", firms[0].brn_display, "회장", "2005.01.01", ""],
        ["sg1", firms[1].brn, "총무", "2005-01-01", "2008-12-31"],
        ["sg1", firms[2].brn, "", "2006-01-01", ""],
    ]
    report = run("memberships", rows)
    assert report.ok, report.errors
    assert sorted(Membership.objects.values_list("firm__name", "role", "left_on")) == [
        ("회사0", "chair", None),
        ("회사1", "secretary", datetime.date(2008, 12, 31)),
        ("회사2", "member", None),
    ]
    again = run("memberships", rows)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_leaving_is_an_update_of_the_same_period(group, firms):
    MembershipFactory(group=group, firm=firms[0], joined_on=datetime.date(2005, 1, 1))
    report = run(
        "memberships", [MEMBERSHIP_HEADER, ["sg1", firms[0].brn, "member", "2005-01-01", "2010-06-30"]]
    )
    assert (report.created, report.updated) == (0, 1)
    assert Membership.objects.get().left_on == datetime.date(2010, 6, 30)


def test_unknown_group_code_and_unknown_firm(group, firms):
    rows = [
        MEMBERSHIP_HEADER,
        ["nope", firms[0].brn, "member", "2005-01-01", ""],
        ["sg1", "1168200276", "member", "2005-01-01", ""],
    ]
    report = run("memberships", rows)
    assert messages(report) == [
        (2, "group_code", "등록되지 않았거나 권한 밖의 교류회코드입니다: 'nope'"),
        (3, "brn", "등록되지 않았거나 권한 밖의 사업자등록번호입니다."),
    ]


def test_membership_rules_give_the_service_messages(group, firms):
    MembershipFactory(group=group, firm=firms[0], role="chair", joined_on=datetime.date(2004, 1, 1))
    rows = [
        MEMBERSHIP_HEADER,
        ["sg1", firms[1].brn, "chair", "2006-01-01", ""],  # a second chair at the same time
        ["sg1", firms[0].brn, "member", "2005-01-01", ""],  # overlaps the firm's own open period
        ["sg1", firms[2].brn, "member", "2010-01-01", "2009-01-01"],  # left before joining
        ["sg1", firms[2].brn, "member", "2999-01-01", ""],  # in the future
        ["sg1", firms[1].brn, "member", "1999-01-01", "1999-06-01"],  # before the group was founded
    ]
    report = run("memberships", rows)
    assert messages(report) == [
        (2, "role", "같은 기간에 회장 직책을 맡은 회원사(회사0)가 이미 있습니다."),
        (3, "joined_on", "이 회원사는 같은 기간에 이미 이 교류회의 회원입니다."),
        (4, "left_on", "탈퇴일은 가입일보다 빠를 수 없습니다."),
        (5, "joined_on", "가입일은 오늘 이후일 수 없습니다."),
        (6, "joined_on", "가입일은 교류회 창립일보다 빠를 수 없습니다."),
    ]
    assert Membership.objects.count() == 1


def test_chair_handover_in_one_file_is_valid(group, firms):
    current = MembershipFactory(group=group, firm=firms[0], role="chair", joined_on=datetime.date(2004, 1, 1))
    rows = [
        MEMBERSHIP_HEADER,
        ["sg1", firms[0].brn, "chair", "2004-01-01", "2010-01-01"],
        ["sg1", firms[1].brn, "chair", "2010-01-01", ""],
    ]
    report = run("memberships", rows)
    assert report.ok, report.errors
    current.refresh_from_db()
    assert current.left_on == datetime.date(2010, 1, 1)
    assert Membership.objects.filter(role="chair", left_on__isnull=True).get().firm == firms[1]


def test_two_rows_of_the_file_conflicting_with_each_other(group, firms):
    rows = [
        MEMBERSHIP_HEADER,
        ["sg1", firms[0].brn, "secretary", "2005-01-01", ""],
        ["sg1", firms[1].brn, "총무", "2007-01-01", ""],
        ["sg1", firms[0].brn, "member", "2006-01-01", ""],
        ["sg1", firms[0].brn, "secretary", "2005.01.01", ""],
    ]
    report = run("memberships", rows)
    # Both sides of a conflict are marked, so that users see which rows to reconcile.
    assert [(r, c) for r, c, _m in messages(report)] == [
        (2, "joined_on"),
        (2, "role"),
        (3, "role"),
        (4, "joined_on"),
        (5, "joined_on"),
    ]
    assert report.errors[-1].message.startswith("같은 키(sg1, ")
    assert not Membership.objects.exists()


def test_regional_staff_only_for_their_regions_groups(seoul_staff, firms):
    GroupFactory(code="sg1")
    GroupFactory(code="bs1", federation=region("busan"))
    rows = [
        MEMBERSHIP_HEADER,
        ["sg1", firms[0].brn, "member", "2005-01-01", ""],
        ["bs1", firms[0].brn, "member", "2005-01-01", ""],
    ]
    report = run("memberships", rows, actor=seoul_staff)
    assert [(r, c) for r, c, _m in messages(report)] == [(3, "group_code")]
    # Another region's group reads like an unknown code: no region named (issue 7, finding 3).
    assert report.errors[0].message == "등록되지 않았거나 권한 밖의 교류회코드입니다: 'bs1'"
