"""Registration rules (issue 11 §2, "Bad input and safety"): the window by the KST date, both days
included; the audience; the same person twice; an e-mail of someone else's firm; each with its message."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.events.factories import kst, make_event
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from tests.programmes.factories import make_application, make_call
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.events.audience import audience_error, parse_audience
from yunghap.events.models import Event, EventSession, Registration
from yunghap.events.registration import register

pytestmark = pytest.mark.django_db

OPEN = kst("2026-03-05 10:00")


def refusal(**kwargs: object) -> tuple[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        register(**kwargs)  # type: ignore[arg-type]
    return caught.value.code or "", caught.value.messages


def test_window_includes_both_days_in_kst():
    event = make_event()
    # 2026-03-01 00:00 KST is still 2026-02-28 in UTC: the KST date counts.
    first = register(event, name="김첫날", email="first@a.kr", at=kst("2026-03-01 00:00"))
    last = register(event, name="이막날", email="last@a.kr", at=kst("2026-03-10 23:59"))
    assert first.status == last.status == Registration.Status.CONFIRMED


def test_before_and_after_the_window_refused():
    event = make_event()
    assert refusal(event=event, name="김이름", email="a@a.kr", at=kst("2026-02-28 23:59")) == (
        "window",
        ["아직 신청 기간이 아닙니다. 신청은 2026-03-01부터 2026-03-10까지 받습니다."],
    )
    assert refusal(event=event, name="김이름", email="a@a.kr", at=kst("2026-03-11 00:00")) == (
        "window",
        ["신청 기간(2026-03-01 ~ 2026-03-10)이 끝났습니다."],
    )
    assert not Registration.objects.exists()


def test_same_person_twice_refused_case_folded():
    event = make_event(capacity=5)
    register(event, name="김중복", email="Kim@Acme.kr", at=OPEN)
    assert refusal(event=event, name="김중복", email=" kim@acme.KR ", at=OPEN) == (
        "duplicate",
        ["kim@acme.KR은(는) 이미 이 행사에 신청되어 있습니다."],
    )
    assert Registration.objects.count() == 1


def test_database_refuses_a_second_active_registration():
    event = make_event(capacity=5)
    first = register(event, name="김중복", email="kim@acme.kr", at=OPEN)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event,
            name="김중복",
            email="KIM@acme.kr",
            registered_at=OPEN,
            status=Registration.Status.WAITING,
            queue_position=first.queue_position + 1,
        )


def test_name_and_email_checked():
    event = make_event()
    assert refusal(event=event, name=" ", email="a@a.kr", at=OPEN) == (
        "person",
        ["참가자 이름을 입력해 주세요."],
    )
    assert refusal(event=event, name="김이름", email="not-an-email", at=OPEN) == (
        "person",
        ["이메일 주소 'not-an-email'이 올바르지 않습니다."],
    )


def test_email_of_another_firms_account_refused():
    mine, theirs = FirmFactory(name="(주)우리기술"), FirmFactory(name="(주)남의기술")
    other_user = make_user("their-staff", Role.FIRM_USER, firm=theirs)
    other_user.email = "park@their.co.kr"
    other_user.save()
    event = make_event(capacity=5)
    assert refusal(event=event, name="박남", email="Park@their.co.kr", firm=mine, at=OPEN) == (
        "other_firm",
        [
            "Park@their.co.kr은(는) 다른 회원사((주)남의기술)의 이메일입니다. 소속 회원사의 이메일로 신청해 주세요."
        ],
    )
    # The firm itself may register its own person.
    assert register(event, name="박남", email="park@their.co.kr", firm=theirs, at=OPEN).status == "confirmed"


def test_email_at_another_firms_domain_refused_but_public_and_shared_domains_are_not():
    mine = FirmFactory(name="(주)우리기술", email="ceo@mine.co.kr")
    FirmFactory(name="(주)남의기술", email="ceo@their.co.kr")
    event = make_event(capacity=9)
    assert refusal(event=event, name="최남", email="choi@THEIR.co.kr", firm=mine, at=OPEN) == (
        "other_firm",
        [
            "choi@THEIR.co.kr은(는) 다른 회원사((주)남의기술)의 이메일입니다. 소속 회원사의 이메일로 신청해 주세요."
        ],
    )
    assert register(event, name="최우리", email="choi@mine.co.kr", firm=mine, at=OPEN).status == "confirmed"
    FirmFactory(email="a@naver.com")
    assert register(event, name="한개인", email="han@naver.com", firm=mine, at=OPEN).status == "confirmed"
    FirmFactory(email="x@shared.kr"), FirmFactory(email="y@shared.kr")
    assert register(event, name="공유", email="z@shared.kr", firm=mine, at=OPEN).status == "confirmed"
    # Without a firm (a person on their own), a domain says nothing.
    assert register(event, name="최개인", email="choi2@their.co.kr", at=OPEN).status == "confirmed"


def test_audience_members_region_group_consortium():
    seoul_group = GroupFactory(federation=region("seoul"))
    member = MembershipFactory(group=seoul_group).firm
    outsider = FirmFactory(federation=region("seoul"))
    left = MembershipFactory(group=seoul_group, left_on=datetime.date(2025, 12, 31)).firm

    members = make_event(audience=Event.Audience.MEMBERS)
    assert audience_error(members, firm=member, on=datetime.date(2026, 3, 5)) is None
    assert audience_error(members, firm=outsider) == "이 행사는 교류회 회원사만 신청할 수 있습니다."
    assert audience_error(members, firm=left, on=datetime.date(2026, 3, 5)) == (
        "이 행사는 교류회 회원사만 신청할 수 있습니다."
    )
    assert audience_error(members) == "이 행사는 교류회 회원사만 신청할 수 있습니다."

    other_region = [f for f in ("busan", "gyeonggi", "daegu") if region_exists(f)][0]
    by_region = make_event(audience=Event.Audience.REGION, audience_region=region(other_region))
    assert audience_error(by_region, firm=member) == (
        f"이 행사는 {region(other_region)} 소속 회원사만 신청할 수 있습니다."
    )
    assert audience_error(by_region, firm=FirmFactory(federation=region(other_region))) is None

    group = make_event(audience=Event.Audience.GROUP, audience_group=seoul_group)
    assert audience_error(group, firm=member) is None
    assert audience_error(group, firm=outsider) == f"이 행사는 {seoul_group} 회원사만 신청할 수 있습니다."

    application = make_application(make_call(), FirmFactory(), [member])
    consortium = make_event(audience=Event.Audience.CONSORTIUM, audience_consortium=application.consortium)
    assert audience_error(consortium, firm=member) is None
    assert audience_error(consortium, firm=outsider) == (
        f"이 행사는 협력체 '{application.consortium}'의 참여기업만 신청할 수 있습니다."
    )

    # A firm user registering themselves is judged by their firm.
    user = make_user("member-staff", Role.FIRM_USER, firm=member)
    assert audience_error(group, user=user) is None


def region_exists(code: str) -> bool:
    from yunghap.network.models import Federation

    return Federation.objects.filter(code=code).exists()


def test_registration_outside_the_audience_refused():
    group = GroupFactory()
    event = make_event(audience=Event.Audience.GROUP, audience_group=group)
    assert refusal(event=event, name="김밖", email="kim@out.kr", firm=FirmFactory(), at=OPEN) == (
        "audience",
        [f"이 행사는 {group} 회원사만 신청할 수 있습니다."],
    )


def test_audience_codes_of_files():
    group = GroupFactory(code="seoul-01")
    application = make_application(make_call(code="c-ev"), FirmFactory())
    assert parse_audience("everyone").audience == "everyone"
    assert parse_audience(" Members ").audience == "members"
    assert parse_audience("region:seoul").audience_region == region("seoul")
    assert parse_audience("group:seoul-01").audience_group == group
    assert parse_audience(f"consortium:{application.ref}").audience_consortium == application.consortium
    cases = {
        "region:nowhere": "지역 연합회 코드 'nowhere'를 찾을 수 없습니다.",
        "group:none": "교류회 코드 'none'을 찾을 수 없습니다.",
        "consortium:X-1": "접수번호 'X-1'의 협력체를 찾을 수 없습니다.",
        "region": (
            "대상 'region'을 알 수 없습니다. everyone, members, region:코드, group:코드, "
            "consortium:접수번호 중 하나로 적어 주세요."
        ),
        "": "대상이 비어 있습니다. everyone, members, region:코드, group:코드, consortium:접수번호 중 하나로 적어 주세요.",
    }
    for text, message in cases.items():
        with pytest.raises(ValidationError) as caught:
            parse_audience(text)
        assert caught.value.messages == [message], text


def test_session_hours_default_to_length_and_checks_hold():
    event = make_event(first_session=None)
    session = EventSession.objects.create(
        event=event,
        starts_at=kst("2026-03-20 09:00"),
        ends_at=kst("2026-03-20 11:30"),
        online_link="https://x.kr/s",
    )
    assert session.hours == Decimal("2.50")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventSession.objects.create(
            event=event,
            starts_at=kst("2026-03-21 09:00"),
            ends_at=kst("2026-03-21 09:00"),
            place="서울",
            hours=1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        EventSession.objects.create(
            event=event, starts_at=kst("2026-03-22 09:00"), ends_at=kst("2026-03-22 10:00"), hours=1
        )


def test_event_defaults_and_audience_target_constraint():
    event = make_event()
    assert (event.offer_hours, event.attended_share, event.marks_per_absence) == (48, 50, 3)
    assert event.completion_threshold == Decimal("80.0")
    assert event.cancellation_deadline_at() == kst("2026-03-20 14:00")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_event(audience=Event.Audience.GROUP)


def test_registration_is_audited():
    event = make_event()
    firm = FirmFactory()
    actor = make_user("firm-staff", Role.FIRM_USER, firm=firm)
    registration = register(event, name="김감사", email="audit@a.kr", firm=firm, actor=actor, at=OPEN)
    entry = AuditLog.objects.get(action="events.register")
    assert entry.object_id == str(registration.pk) and entry.actor == actor
    assert entry.changes == {"status": "confirmed", "queue_position": 1}


def test_who_may_register_whom():
    from django.core.exceptions import PermissionDenied

    firm, other = FirmFactory(), FirmFactory()
    firm_user = make_user("ev-firm", Role.FIRM_USER, firm=firm)
    staff = make_user("ev-central", Role.CENTRAL_STAFF)
    event = make_event(capacity=9)
    assert register(event, name="직원", email="e1@a.kr", firm=firm, actor=firm_user, at=OPEN).firm == firm
    assert (
        register(event, name="본인", email="e2@a.kr", user=firm_user, actor=firm_user, at=OPEN).user
        == firm_user
    )
    assert register(event, name="대리", email="e3@a.kr", firm=other, actor=staff, at=OPEN).firm == other
    for kwargs in ({"firm": other}, {}, {"user": staff}):
        with pytest.raises(PermissionDenied) as caught:
            register(event, name="남", email="x@a.kr", actor=firm_user, at=OPEN, **kwargs)
        assert str(caught.value) == "이 신청을 할 권한이 없습니다."
    assert Registration.objects.count() == 3
