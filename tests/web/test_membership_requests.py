"""Issue 7, finding 1: a firm outside the keepers' scope joins only with its consent (가입 요청)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_brn, make_user
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.network.models import Membership, MembershipRequest

pytestmark = pytest.mark.django_db

ADD = reverse("network:membership_create", args=["seoul-a"])
LIST = reverse("network:membership_request_list")


def _decide(pk, action):
    return reverse("network:membership_request_decide", kwargs={"pk": pk, "action": action})


def _ask(client, brn, **extra):
    data = {"brn": brn, "role": "member", "joined_on": "2024-03-04", "left_on": "", **extra}
    return client.post(ADD, data)


def test_outside_scope_and_unregistered_read_the_same_and_both_can_be_asked(network, login):
    client = login(network.users["officer"])
    outside = _ask(client, network.busan_firm.brn)
    unknown = _ask(client, make_brn(8888))
    for response in (outside, unknown):
        assert response.status_code == 200
        assert response.context["form"].errors["brn"] == ["등록되지 않았거나 권한 밖의 사업자등록번호입니다."]
        assert 'name="send_request"' in response.content.decode()
    html = outside.content.decode()
    assert network.busan_firm.name not in html and "부산" not in html
    assert not Membership.objects.filter(group=network.seoul_group, firm=network.busan_firm).exists()


def test_the_firm_accepts_and_becomes_a_member(network, login, django_capture_on_commit_callbacks):
    busan_user = make_user("busanfirm", Role.FIRM_USER, firm=network.busan_firm)
    client = login(network.users["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        response = _ask(client, network.busan_firm.brn_display, send_request="1")
    assert response.status_code == 302 and response["Location"] == LIST
    request = MembershipRequest.objects.get()
    assert (request.state, request.brn, request.requested_by) == (
        "pending",
        network.busan_firm.brn,
        network.users["officer"],
    )
    # Asked twice: still one pending request, and the sender is told the same.
    assert _ask(client, network.busan_firm.brn, send_request="1").status_code == 302
    assert MembershipRequest.objects.count() == 1
    # The sender's list shows the number only, never the firm's name.
    outgoing = client.get(LIST)
    assert outgoing.context["outgoing"] == [request]
    assert network.busan_firm.name not in outgoing.content.decode()
    # The firm's user and Busan staff are told; Seoul staff are not.
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"busanfirm", "busan"}
    # The sender may not accept their own request.
    assert client.post(_decide(request.pk, "accept")).status_code == 403
    firm_client = login(busan_user)
    page = firm_client.get(LIST)
    assert page.context["incoming"] == [request] and network.seoul_group.name in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert firm_client.post(_decide(request.pk, "accept")).status_code == 302
    request.refresh_from_db()
    membership = Membership.objects.get(group=network.seoul_group, firm=network.busan_firm)
    assert (
        request.state == "accepted" and request.membership == membership and request.decided_by == busan_user
    )
    assert AuditLog.objects.filter(action="membership.create", actor=busan_user).exists()
    assert AuditLog.objects.filter(action="membership_request.accept").count() == 1
    assert Notification.objects.filter(recipient=network.users["officer"]).exists()
    # Now a member: in the officer's scope.
    assert login(network.users["officer"]).get(f"/firms/{network.busan_firm.brn}/").status_code == 200
    # A second answer is refused in Korean, nothing written twice.
    firm_client = login(busan_user)
    firm_client.post(_decide(request.pk, "accept"))
    assert Membership.objects.filter(group=network.seoul_group, firm=network.busan_firm).count() == 1


def test_decline_and_withdraw(network, login):
    client = login(network.users["officer"])
    _ask(client, network.busan_firm.brn, send_request="1")
    _ask(client, make_brn(8888), send_request="1")
    declined, withdrawn = MembershipRequest.objects.order_by("pk")
    assert login(network.users["busan"]).post(_decide(declined.pk, "decline")).status_code == 302
    # Nobody answers for an unregistered number; its sender may withdraw it.
    assert login(network.users["busan"]).post(_decide(withdrawn.pk, "decline")).status_code == 404
    assert login(network.users["officer"]).post(_decide(withdrawn.pk, "withdraw")).status_code == 302
    assert [r.state for r in MembershipRequest.objects.order_by("pk")] == ["declined", "withdrawn"]
    assert not Membership.objects.filter(group=network.seoul_group, firm=network.busan_firm).exists()
    # Outside both sides: not found.
    assert login(network.users["firm"]).post(_decide(declined.pk, "accept")).status_code == 404
    assert login(network.users["officer"]).get(_decide(declined.pk, "accept")).status_code == 405


def test_a_request_carries_no_left_date(network, login):
    response = _ask(
        login(network.users["officer"]), network.busan_firm.brn, send_request="1", left_on="2024-05-01"
    )
    assert (
        "가입 요청은 현재 가입에만 보낼 수 있습니다. 탈퇴일을 비워 주세요."
        in response.context["form"].errors["left_on"]
    )
    assert not MembershipRequest.objects.exists()


def test_accepting_into_a_taken_chair_does_not_name_the_holder(network, login):
    client = login(network.users["officer"])
    _ask(client, network.busan_firm.brn, send_request="1", role="chair")
    request = MembershipRequest.objects.get()
    response = login(network.users["busan"]).post(_decide(request.pk, "accept"), follow=True)
    text = response.content.decode()
    assert "같은 기간에 회장 직책을 맡은 회원사가 이미 있습니다." in text
    assert network.chair_firm.name not in text
    request.refresh_from_db()
    assert request.state == "pending"
