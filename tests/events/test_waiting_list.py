"""The fair waiting list on a fake clock (every service takes `now=`/`at=`): confirmed while seats are
left, then waiting in order; a freed seat is offered to the first waiting for 48 hours, then passes on;
nobody jumps the queue."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command

from tests.events.factories import kst, make_event
from tests.factories import FirmFactory, make_user
from yunghap.accounts.models import Role
from yunghap.core.models import Notification
from yunghap.events.models import Registration
from yunghap.events.registration import cancel, expire_offers, register, take_offer

pytestmark = pytest.mark.django_db

S = Registration.Status
T0 = kst("2026-03-05 10:00")


def minutes(n: int) -> datetime.datetime:
    return T0 + datetime.timedelta(minutes=n)


def line(event):
    return [(r.email, r.status, r.queue_position) for r in Registration.objects.filter(event=event)]


def fill(event, count, start=0):
    return [
        register(event, name=f"참가자{i}", email=f"p{i}@a.kr", at=minutes(start + i)) for i in range(count)
    ]


def test_confirmed_while_seats_left_then_waiting_in_order():
    event = make_event(capacity=2)
    fill(event, 4)
    assert line(event) == [
        ("p0@a.kr", S.CONFIRMED, 1),
        ("p1@a.kr", S.CONFIRMED, 2),
        ("p2@a.kr", S.WAITING, 3),
        ("p3@a.kr", S.WAITING, 4),
    ]


def test_cancel_offers_the_seat_to_the_first_waiting_for_48_hours():
    event = make_event(capacity=2)
    first, _second, third, _fourth = fill(event, 4)
    at = kst("2026-03-06 09:00")
    cancel(first, now=at)
    third.refresh_from_db()
    assert third.status == S.OFFERED
    assert third.offered_at == at and third.offer_expires_at == at + datetime.timedelta(hours=48)
    assert Registration.objects.get(pk=first.pk).end_reason == "cancelled"
    assert [r[1] for r in line(event)] == [S.CANCELLED, S.CONFIRMED, S.OFFERED, S.WAITING]


def test_take_offer_until_expiry_then_refused_with_message():
    event = make_event(capacity=1)
    first, second, third = fill(event, 3)
    cancel(first, now=kst("2026-03-06 09:00"))
    second.refresh_from_db()
    expires = second.offer_expires_at
    assert expires == kst("2026-03-08 09:00")
    with pytest.raises(ValidationError) as caught:
        take_offer(second, now=expires + datetime.timedelta(minutes=1))
    assert caught.value.messages == [
        "좌석 제안의 수락 기한(2026-03-08 09:00)이 지나 좌석을 받을 수 없습니다."
    ]
    taken = take_offer(second, now=expires)  # the last moment still counts
    assert taken.status == S.CONFIRMED and taken.confirmed_at == expires
    with pytest.raises(ValidationError) as caught:
        take_offer(taken, now=expires)
    assert caught.value.messages == ["이미 확정된 신청입니다."]
    with pytest.raises(ValidationError) as caught:
        take_offer(third, now=expires)
    assert caught.value.messages == ["이 신청에는 제안된 좌석이 없습니다."]


def test_expired_offer_passes_to_the_next_waiting():
    event = make_event(capacity=1)
    first, second, third, fourth = fill(event, 4)
    cancel(first, now=kst("2026-03-06 09:00"))
    assert expire_offers(now=kst("2026-03-08 09:00")) == {"expired": 0, "offered": 0}
    counts = expire_offers(now=kst("2026-03-08 09:01"))
    assert counts == {"expired": 1, "offered": 1}
    second.refresh_from_db(), third.refresh_from_db(), fourth.refresh_from_db()
    assert (second.status, second.end_reason) == (S.CANCELLED, "offer_expired")
    assert third.status == S.OFFERED and third.offer_expires_at == kst("2026-03-10 09:01")
    assert fourth.status == S.WAITING
    # Running again changes nothing.
    assert expire_offers(now=kst("2026-03-08 09:02")) == {"expired": 0, "offered": 0}


def test_offer_never_runs_past_the_first_session():
    event = make_event(capacity=1, first_session="2026-03-20 14:00")
    first, second = fill(event, 2)
    cancel(first, now=kst("2026-03-19 20:00"))
    second.refresh_from_db()
    assert second.offer_expires_at == kst("2026-03-20 14:00")


def test_nobody_jumps_the_queue():
    """A newcomer waits behind those in line even while a seat is on offer, and a seat freed by someone
    waiting never goes to a later person."""
    event = make_event(capacity=2, closes="2026-03-19")
    first, _second, third, fourth = fill(event, 4)
    cancel(first, now=minutes(10))
    late = register(event, name="늦은사람", email="late@a.kr", at=minutes(11))
    assert late.status == S.WAITING and late.queue_position == 5
    # The one offered declines (cancels): the seat goes to fourth, not to the newcomer.
    cancel(third, now=minutes(12))
    assert [(r[0], r[1]) for r in line(event)][2:] == [
        ("p2@a.kr", S.CANCELLED),
        ("p3@a.kr", S.OFFERED),
        ("late@a.kr", S.WAITING),
    ]
    # Someone waiting who leaves frees no seat: nobody is offered.
    fourth.refresh_from_db()
    take_offer(fourth, now=minutes(13))
    cancel(late, now=minutes(14))
    assert Registration.objects.filter(event=event, status=S.OFFERED).count() == 0


def test_a_cancelled_person_may_register_again_at_the_end_of_the_line():
    event = make_event(capacity=1)
    first, _second = fill(event, 2)
    cancel(first, now=minutes(5))
    again = register(event, name="참가자0", email="P0@a.kr", at=minutes(6))
    assert again.status == S.WAITING and again.queue_position == 3


def test_cancellation_deadline():
    event = make_event(capacity=1, cancellation_deadline=kst("2026-03-18 18:00"))
    (first,) = fill(event, 1)
    with pytest.raises(ValidationError) as caught:
        cancel(first, now=kst("2026-03-18 18:01"))
    assert caught.value.messages == ["취소 기한(2026-03-18 18:00)이 지나 취소할 수 없습니다."]
    cancelled = cancel(first, now=kst("2026-03-18 18:00"))
    with pytest.raises(ValidationError) as caught:
        cancel(cancelled, now=kst("2026-03-18 18:00"))
    assert caught.value.messages == ["이미 취소된 신청입니다."]


def test_default_deadline_is_the_first_session_start():
    event = make_event(capacity=1, first_session="2026-03-20 14:00")
    (first,) = fill(event, 1)
    with pytest.raises(ValidationError) as caught:
        cancel(first, now=kst("2026-03-20 14:01"))
    assert caught.value.messages == ["취소 기한(2026-03-20 14:00)이 지나 취소할 수 없습니다."]


def test_session_capacity_limits_the_seats():
    event = make_event(capacity=5)
    session = event.sessions.get()
    session.capacity = 1
    session.save()
    assert [r.status for r in fill(event, 2)] == [S.CONFIRMED, S.WAITING]


def test_raising_the_capacity_offers_seats_in_order_on_the_next_registration():
    event = make_event(capacity=1)
    fill(event, 3)
    event.capacity = 2
    event.save()
    late = register(event, name="늦은사람", email="late@a.kr", at=minutes(20))
    assert [(r[0], r[1]) for r in line(event)] == [
        ("p0@a.kr", S.CONFIRMED),
        ("p1@a.kr", S.OFFERED),
        ("p2@a.kr", S.WAITING),
        ("late@a.kr", S.WAITING),
    ]
    assert late.status == S.WAITING


def test_notices_in_app_for_accounts_and_by_mail_for_others(django_capture_on_commit_callbacks):
    firm = FirmFactory(email="ceo@acme.co.kr")
    staff = make_user("acme-staff", Role.FIRM_USER, firm=firm)
    person = make_user("acme-kim", Role.FIRM_USER, firm=firm)
    person.email = "kim@acme.co.kr"
    person.save()
    event = make_event(capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        register(event, name="김회원", email="kim@acme.co.kr", firm=firm, user=person, actor=staff, at=T0)
        register(event, name="이직원", email="lee@acme.co.kr", firm=firm, actor=staff, at=minutes(1))
    mine = Notification.objects.get(recipient=person)
    assert mine.code == "events.registration.confirmed"
    assert mine.message == f"'{event.title}' 신청이 확정되었습니다 (김회원)."
    waiting = Notification.objects.filter(recipient=staff, code="events.registration.waiting").get()
    assert (
        waiting.message == f"'{event.title}'의 정원이 차서 이직원 님의 신청이 대기자 명단 1번째에 올랐습니다."
    )
    assert sorted(m.to[0] for m in mail.outbox) == ["kim@acme.co.kr", "lee@acme.co.kr"]


def test_cancel_registration_command():
    event = make_event(capacity=1, code="seminar-2026-03")
    fill(event, 2)
    from io import StringIO

    out = StringIO()
    call_command(
        "cancel",
        "registration",
        "--event",
        "seminar-2026-03",
        "--email",
        "P0@a.kr",
        "--at",
        "2026-03-06 09:00",
        stdout=out,
    )
    assert out.getvalue().splitlines() == [
        "취소했습니다: p0@a.kr",
        "좌석 제안: p1@a.kr (2026-03-08 09:00까지)",
    ]
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as caught:
        call_command("cancel", "registration", "--event", "seminar-2026-03", "--email", "p0@a.kr")
    assert str(caught.value) == "이 행사에 p0@a.kr의 유효한 신청이 없습니다."
    with pytest.raises(CommandError) as caught:
        call_command("cancel", "registration", "--event", "nope", "--email", "p0@a.kr")
    assert str(caught.value) == "행사를 찾을 수 없습니다: nope"
    with pytest.raises(CommandError) as caught:
        call_command(
            "cancel",
            "registration",
            "--event",
            "seminar-2026-03",
            "--email",
            "p1@a.kr",
            "--at",
            "2026-03-21 09:00",
        )
    assert str(caught.value) == "취소 기한(2026-03-20 14:00)이 지나 취소할 수 없습니다."


def test_expire_offers_command():
    event = make_event(capacity=1)
    first, _second, _third = fill(event, 3)
    cancel(first, now=kst("2026-03-06 09:00"))
    from io import StringIO

    out = StringIO()
    call_command("expire_offers", "--at", "2026-03-08 09:01", stdout=out)
    assert out.getvalue().strip() == "만료 1건, 새 좌석 제안 1건"


def test_who_may_cancel_or_take_an_offer():
    from django.core.exceptions import PermissionDenied

    from tests.factories import region
    from yunghap.events.registration import may_change

    firm = FirmFactory(email="ceo@acme.co.kr")
    colleague = make_user("acme-colleague", Role.FIRM_USER, firm=firm)
    stranger = make_user("stranger", Role.FIRM_USER, firm=FirmFactory())
    central = make_user("central-ev", Role.CENTRAL_STAFF)
    organiser_staff = make_user("seoul-ev", Role.REGIONAL_STAFF, federation=region("seoul"))
    event = make_event(capacity=1, organiser=region("seoul"))
    first = register(event, name="김회원", email="kim@acme.co.kr", firm=firm, at=T0)
    second = register(event, name="이회원", email="lee@acme.co.kr", firm=firm, at=minutes(1))
    assert [may_change(first, u) for u in (colleague, stranger, central, organiser_staff, None)] == [
        True,
        False,
        True,
        True,
        False,
    ]
    with pytest.raises(PermissionDenied) as caught:
        cancel(first, actor=stranger, now=minutes(2))
    assert str(caught.value) == "이 신청을 변경할 권한이 없습니다."
    cancel(first, actor=colleague, now=minutes(2))
    with pytest.raises(PermissionDenied):
        take_offer(second, actor=stranger, now=minutes(3))
    assert take_offer(second, actor=colleague, now=minutes(3)).status == S.CONFIRMED


def test_messages_in_english():
    from django.utils import translation

    event = make_event()
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        register(event, name="Kim", email="kim@a.kr", at=kst("2026-03-11 09:00"))
    assert caught.value.messages == ["Registration (2026-03-01 to 2026-03-10) is closed."]
