"""Registration through the pages: oneself (once per form), a firm's employees at once (all or nothing,
every row's error listed), cancelling after asking, taking an offered seat, and "내 신청"."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events_pages.conftest import open_event
from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.events import registration
from yunghap.events.models import Event, Registration

pytestmark = pytest.mark.django_db


def register_url(event: Event) -> str:
    return reverse("events:register", kwargs={"code": event.code})


def test_the_form_is_filled_from_the_account(network, login, public_event):
    user = network.users["firm"]
    user.email = "firm.user@example.com"
    user.save(update_fields=["email"])
    page = login(user).get(register_url(public_event))
    assert page.status_code == 200
    assert 'value="firm.user@example.com"' in page.content.decode()


def test_register_oneself_once(network, login, public_event):
    client = login(network.users["firm"])
    data = {"name": "새영 직원", "email": "me@example.com", "form_token": "tok-register-self-000000001"}
    first = client.post(register_url(public_event), data)
    assert first.status_code == 302 and first["Location"] == reverse("events:my_registrations")
    again = client.post(register_url(public_event), data)  # pressed twice
    assert again.status_code == 302
    made = Registration.objects.get()
    assert made.user == network.users["firm"] and made.firm == network.member_firm
    assert made.status == Registration.Status.CONFIRMED
    listing = client.get(reverse("events:my_registrations")).content.decode()
    assert "national-forum 기술세미나" in listing and "확정" in listing


def test_the_same_person_twice_is_told_in_korean(network, login, public_event):
    registration.register(public_event, name="먼저", email="me@example.com")
    client = login(network.users["nobody"])
    response = client.post(
        register_url(public_event),
        {"name": "나중", "email": "ME@example.com", "form_token": "tok-register-dup-0000000001"},
    )
    assert response.status_code == 200
    assert "ME@example.com은(는) 이미 이 행사에 신청되어 있습니다." in response.content.decode()
    assert Registration.objects.count() == 1


def test_outside_the_window_is_told_in_korean(network, login):
    today = timezone.localdate()
    event = open_event("later")
    Event.objects.filter(pk=event.pk).update(
        registration_opens=today + datetime.timedelta(days=2),
        registration_closes=today + datetime.timedelta(days=5),
    )
    client = login(network.users["nobody"])
    page = client.get(reverse("events:event_detail", kwargs={"code": event.code})).content.decode()
    assert "아직 신청 기간이 아닙니다." in page
    response = client.post(
        register_url(event),
        {"name": "나", "email": "n@example.com", "form_token": "tok-register-win-0000000001"},
    )
    assert "아직 신청 기간이 아닙니다." in response.content.decode()
    assert not Registration.objects.exists()


def test_a_full_event_puts_the_next_person_in_line(network, login):
    event = open_event("small", capacity=1)
    registration.register(event, name="첫째", email="one@example.com")
    client = login(network.users["nobody"])
    response = client.post(
        register_url(event),
        {"name": "둘째", "email": "two@example.com", "form_token": "tok-register-wait-000000001"},
        follow=True,
    )
    page = response.content.decode()
    assert "대기자 명단 1번째에 올랐습니다." in page
    assert "대기 1번째" in page


def firm_rows(*people: tuple[str, str]) -> dict[str, str]:
    data = {"form_token": "tok-firm-rows-00000000001"}
    for n, (name, email) in enumerate(people, start=1):
        data[f"name_{n}"], data[f"email_{n}"] = name, email
    return data


def test_a_firm_registers_its_employees_at_once(network, login, public_event):
    client = login(network.users["firm"])
    url = reverse("events:register_firm", kwargs={"code": public_event.code})
    data = firm_rows(
        ("김하나", "one@example.com"), ("이둘", "two@example.com"), ("박셋", "three@example.com")
    )
    data["firm"] = str(network.member_firm.pk)
    response = client.post(url, data, follow=True)
    assert "3명을 신청했습니다(확정 2명, 대기 1명)." in response.content.decode()
    made = list(Registration.objects.order_by("queue_position"))
    assert [r.status for r in made] == ["confirmed", "confirmed", "waiting"]
    assert {r.firm for r in made} == {network.member_firm}
    assert {r.registered_by for r in made} == {network.users["firm"]}


def test_a_firm_form_with_any_bad_row_saves_nothing_and_lists_every_row(network, login, public_event):
    registration.register(public_event, name="이미", email="taken@example.com")
    client = login(network.users["firm"])
    url = reverse("events:register_firm", kwargs={"code": public_event.code})
    data = firm_rows(
        ("김하나", "one@example.com"),
        ("", "noname@example.com"),
        ("이둘", "not-an-email"),
        ("박셋", "taken@example.com"),
        ("최넷", "ONE@example.com"),
    )
    data["firm"] = str(network.member_firm.pk)
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2번: 참가자 이름을 입력해 주세요." in page
    assert "3번: 이메일 주소 &#x27;not-an-email&#x27;이 올바르지 않습니다." in page
    assert "4번: taken@example.com은(는) 이미 이 행사에 신청되어 있습니다." in page
    assert "5번: ONE@example.com은 1번과 같은 이메일입니다." in page
    assert Registration.objects.count() == 1  # only the one made before


def test_a_firm_form_without_rows_is_refused(network, login, public_event):
    client = login(network.users["firm"])
    url = reverse("events:register_firm", kwargs={"code": public_event.code})
    response = client.post(
        url, {"firm": str(network.member_firm.pk), "form_token": "tok-firm-empty-000000001"}
    )
    assert "신청할 참가자를 한 명 이상 입력해 주세요." in response.content.decode()


def test_another_firms_employee_is_refused(network, login, public_event):
    other = make_user("busanuser", Role.FIRM_USER, firm=network.busan_firm)
    other.email = "kim@busan-precision.kr"
    other.save(update_fields=["email"])
    client = login(network.users["firm"])
    data = firm_rows(("김부산", "kim@busan-precision.kr"))
    data["firm"] = str(network.member_firm.pk)
    page = client.post(
        reverse("events:register_firm", kwargs={"code": public_event.code}), data
    ).content.decode()
    assert "1번: kim@busan-precision.kr은(는) 다른 회원사(부산정밀)의 이메일입니다." in page


def test_a_firm_may_only_register_for_its_own_firm(network, login, public_event):
    client = login(network.users["firm"])
    data = firm_rows(("김하나", "one@example.com"))
    data["firm"] = str(network.busan_firm.pk)
    response = client.post(reverse("events:register_firm", kwargs={"code": public_event.code}), data)
    assert "올바르게 선택해 주세요" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancel_asks_first_then_offers_the_seat(network, login, django_capture_on_commit_callbacks):
    event = open_event("one-seat", capacity=1)
    user = network.users["firm"]
    mine = registration.register(
        event, name="나", email="me@example.com", user=user, firm=network.member_firm
    )
    waiting = registration.register(event, name="대기자", email="next@example.com")
    client = login(user)
    url = reverse("events:registration_cancel", kwargs={"pk": mine.pk})
    page = client.get(url)
    assert "나 님의 &#x27;one-seat 기술세미나&#x27; 신청을 취소합니다." in page.content.decode()
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"form_token": "tok-cancel-000000000000001"})
        again = client.post(url, {"form_token": "tok-cancel-000000000000001"})
    assert done.status_code == 302 and again.status_code == 302
    assert Registration.objects.get(pk=mine.pk).status == "cancelled"
    assert Registration.objects.get(pk=waiting.pk).status == "offered"


def test_cancel_after_the_deadline_is_refused(network, login):
    event = open_event("started", session_days=None)
    user = network.users["firm"]
    mine = registration.register(event, name="나", email="me@example.com", user=user)
    Event.objects.filter(pk=event.pk).update(
        cancellation_deadline=timezone.now() - datetime.timedelta(hours=1)
    )
    page = login(user).get(reverse("events:registration_cancel", kwargs={"pk": mine.pk})).content.decode()
    assert "취소 기한(" in page and "지나 취소할 수 없습니다." in page


def test_take_an_offered_seat(network, login):
    event = open_event("offer", capacity=1)
    user = network.users["firm"]
    first = registration.register(event, name="첫째", email="one@example.com")
    mine = registration.register(event, name="나", email="me@example.com", user=user)
    registration.cancel(first)
    mine.refresh_from_db()
    assert mine.status == "offered"
    client = login(user)
    listing = client.get(reverse("events:my_registrations")).content.decode()
    assert "까지 수락" in listing and "좌석 받기" in listing
    url = reverse("events:registration_take", kwargs={"pk": mine.pk})
    assert "좌석을 받습니다." in client.get(url).content.decode()
    assert client.post(url, {"form_token": "tok-take-offer-00000000001"}).status_code == 302
    assert Registration.objects.get(pk=mine.pk).status == "confirmed"


def test_someone_else_may_not_cancel(network, login, public_event):
    mine = registration.register(
        public_event, name="나", email="me@example.com", user=network.users["firm"], firm=network.member_firm
    )
    url = reverse("events:registration_cancel", kwargs={"pk": mine.pk})
    assert login(network.users["nobody"]).get(url).status_code == 404
    assert login(network.users["central"]).get(url).status_code == 200


def test_an_expired_offer_cannot_be_taken(network, login):
    event = open_event("late-offer", capacity=1)
    user = network.users["firm"]
    first = registration.register(event, name="첫째", email="one@example.com")
    mine = registration.register(event, name="나", email="me@example.com", user=user)
    registration.cancel(first)
    Registration.objects.filter(pk=mine.pk).update(
        offer_expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    client = login(user)
    url = reverse("events:registration_take", kwargs={"pk": mine.pk})
    page = client.post(url, {"form_token": "tok-take-late-000000000001"}).content.decode()
    assert "좌석 제안의 수락 기한(" in page and "지나 좌석을 받을 수 없습니다." in page
    assert Registration.objects.get(pk=mine.pk).status == "offered"
