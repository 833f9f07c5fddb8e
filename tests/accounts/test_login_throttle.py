"""The client's address behind proxies, the (username, address) lockout and the per-address throttle."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.core.audit import record_access
from yunghap.core.http import client_ip

LOGIN = "/accounts/login/"


@pytest.fixture
def axes_on(settings):
    # tests/conftest.py turns axes off for everyone else; these tests are about it.
    settings.AXES_ENABLED = True
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 20
    settings.LOGIN_ADDRESS_WINDOW_MINUTES = 15


def attempt(
    client,
    username,
    password="wrong-password-1",  # noqa: S107
    address="203.0.113.7",
    forwarded=None,
):
    extra = {"REMOTE_ADDR": address}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN, {"username": username, "password": password}, **extra)


# --- client_ip --------------------------------------------------------------------------------------------


def request_from(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request_from("198.51.100.9", "1.2.3.4")) == "198.51.100.9"


def test_with_one_trusted_proxy_the_address_it_saw_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client forged "1.2.3.4"; our proxy appended the address it really came from.
    assert client_ip(request_from("10.0.0.2", "1.2.3.4, 198.51.100.9")) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.2", "198.51.100.9")) == "198.51.100.9"
    assert client_ip(request_from("10.0.0.2")) == "10.0.0.2"  # no header: came straight in


def test_with_two_trusted_proxies_the_second_from_the_right(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.3", "1.2.3.4, 198.51.100.9, 10.0.0.2")) == "198.51.100.9"


def test_garbage_in_the_header_falls_back_to_the_peer(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request_from("10.0.0.2", "not-an-address")) == "10.0.0.2"


@pytest.mark.django_db
def test_the_access_log_records_the_client_not_the_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("viewer", Role.CENTRAL_STAFF)
    row = record_access(user, "view", "network.firm", [1], request_from("10.0.0.2", "1.2.3.4, 198.51.100.9"))
    assert row.ip_address == "198.51.100.9"


# --- lockout ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lockout_from_one_address_does_not_lock_the_user_at_another(client, axes_on):
    user = make_user("victim", Role.FIRM_USER)
    for _ in range(5):
        attempt(client, "victim", address="198.51.100.66")
    locked = attempt(client, "victim", password="pw-victim-2026!", address="198.51.100.66")
    assert locked.status_code == 429
    assert "이 계정은 이 주소에서 30분 동안 로그인할 수 없습니다" in locked.content.decode()
    elsewhere = attempt(client, "victim", password="pw-victim-2026!", address="203.0.113.10")
    assert elsewhere.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.django_db
def test_behind_a_proxy_the_lockout_is_per_client_not_per_proxy(client, axes_on, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("victim", Role.FIRM_USER)
    proxy = "10.0.0.2"
    for _ in range(5):
        attempt(client, "victim", address=proxy, forwarded="198.51.100.66")
    # Every request arrives from the proxy; only the attacker's client address is locked.
    ok = attempt(client, "victim", password="pw-victim-2026!", address=proxy, forwarded="203.0.113.10")
    assert ok.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_does_not_escape_the_lockout_without_proxies(client, axes_on, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    make_user("victim", Role.FIRM_USER)
    for n in range(5):
        attempt(client, "victim", address="198.51.100.66", forwarded=f"192.0.2.{n}")
    again = attempt(
        client, "victim", password="pw-victim-2026!", address="198.51.100.66", forwarded="192.0.2.99"
    )
    assert again.status_code == 429


@pytest.mark.django_db
def test_password_spraying_over_30_usernames_from_one_address_is_throttled(client, axes_on):
    for n in range(30):
        make_user(f"member{n:02d}", Role.FIRM_USER)
    answers = [attempt(client, f"member{n:02d}").status_code for n in range(30)]
    # One guess per username never trips the per-account lock; the address is refused after 20 failures.
    assert answers[:20] == [200] * 20
    assert set(answers[20:]) == {429}
    refused = attempt(client, "member29", password="pw-member29-2026!")
    assert refused.status_code == 429
    assert (
        "이 주소에서 로그인 실패가 너무 많습니다. 15분 뒤에 다시 시도해 주세요." in refused.content.decode()
    )
    # Another address is not affected.
    assert (
        attempt(client, "member29", password="pw-member29-2026!", address="203.0.113.99").status_code == 302
    )


@pytest.mark.django_db
def test_the_address_throttle_ends_when_the_failures_age_out(client, axes_on, settings):
    import datetime

    from axes.models import AccessFailureLog
    from django.utils import timezone

    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    make_user("member", Role.FIRM_USER)
    for n in range(3):
        attempt(client, f"nobody{n}")
    assert attempt(client, "member", password="pw-member-2026!").status_code == 429
    AccessFailureLog.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=16))
    assert attempt(client, "member", password="pw-member-2026!").status_code == 302
