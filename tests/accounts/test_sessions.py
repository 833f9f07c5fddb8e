"""Sessions end: on logout (server-side), after the idle timeout, after the absolute lifetime; 연장 extends."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.accounts.sessions import ACTIVE_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db

PROFILE = "/accounts/profile/"


@pytest.fixture
def user(db):
    return make_user("session-user", Role.CENTRAL_STAFF)


def sign_in(client, user):
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": f"pw-{user.username}-2026!"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return client


def shift(client, **seconds_ago):
    """Move the session's timestamps into the past, as if that much time had gone by."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[key] = session[key] - ago
    session.save()


def test_logout_ends_the_session_so_a_saved_cookie_opens_nothing(client, user):
    sign_in(client, user)
    saved = client.cookies["sessionid"].value
    assert client.get(PROFILE).status_code == 200
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=saved).exists()
    client.cookies["sessionid"] = saved  # the attacker replays the cookie saved before logout
    response = client.get(PROFILE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_idle_beyond_the_timeout_sends_to_login_with_a_korean_message(client, user, settings):
    settings.SESSION_IDLE_TIMEOUT = 30
    sign_in(client, user)
    shift(client, **{ACTIVE_AT: 29 * 60})
    assert client.get(PROFILE).status_code == 200  # 29 minutes idle: still signed in
    shift(client, **{ACTIVE_AT: 31 * 60})
    response = client.get(PROFILE, follow=True)
    assert response.redirect_chain[0][0] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    assert "30분 동안 사용하지 않아 로그아웃되었습니다" in response.content.decode()
    assert not response.context["user"].is_authenticated
    assert client.get(PROFILE).status_code == 302  # flushed for good


def test_activity_is_recorded_at_most_once_a_minute(client, user):
    sign_in(client, user)
    shift(client, **{ACTIVE_AT: 20})
    before = client.session[ACTIVE_AT]
    client.get(PROFILE)
    assert client.session[ACTIVE_AT] == before  # 20 s ago: no session write
    shift(client, **{ACTIVE_AT: 25 * 60})
    client.get(PROFILE)
    assert client.session[ACTIVE_AT] > before  # a page view after 25 minutes counts as activity


def test_extend_restarts_the_idle_timeout(client, user):
    sign_in(client, user)
    shift(client, **{ACTIVE_AT: 28 * 60})
    status = client.get("/accounts/session/", HTTP_ACCEPT="application/json").json()
    assert 0 < status["seconds_left"] <= 2 * 60
    # Asking for the time left is not activity: the countdown must not keep a tab signed in forever.
    assert client.get("/accounts/session/").json()["seconds_left"] <= 2 * 60
    response = client.post("/accounts/session/extend/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["seconds_left"] > 29 * 60
    shift(client, **{ACTIVE_AT: 20 * 60})
    assert client.get(PROFILE).status_code == 200


def test_extend_needs_post_with_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    login = {"username": user.username, "password": f"pw-{user.username}-2026!", "csrfmiddlewaretoken": token}
    assert client.post("/accounts/login/", login).status_code == 302
    assert client.get("/accounts/session/extend/").status_code == 405
    assert client.post("/accounts/session/extend/").status_code == 403  # no CSRF token
    token = client.cookies["csrftoken"].value  # rotated at login
    ok = client.post("/accounts/session/extend/", HTTP_X_CSRFTOKEN=token, HTTP_ACCEPT="application/json")
    assert ok.status_code == 200


def test_extend_without_script_returns_to_the_page(client, user):
    sign_in(client, user)
    response = client.post("/accounts/session/extend/", {"next": "/groups/"})
    assert response["Location"] == "/groups/"
    response = client.post("/accounts/session/extend/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_absolute_lifetime_ends_even_an_active_session(client, user, settings):
    settings.SESSION_ABSOLUTE_LIFETIME = 12 * 60
    sign_in(client, user)
    shift(client, **{SIGNED_IN_AT: 12 * 60 * 60 + 5})  # signed in 12 h ago, active a moment ago
    client.post("/accounts/session/extend/")  # 연장 cannot go past the absolute lifetime
    response = client.get(PROFILE, follow=True)
    assert response.redirect_chain[-1][0].startswith("/accounts/login/")
    assert "로그인한 지 12시간이 지나" in response.content.decode()


def test_header_shows_the_countdown_and_the_extend_button(client, user):
    sign_in(client, user)
    html = client.get(PROFILE).content.decode()
    assert "로그아웃까지 남은 시간" in html
    assert 'id="session-clock">30:00<' in html or 'id="session-clock">29:' in html
    assert 'action="/accounts/session/extend/"' in html
    assert "accounts/session-timer.js" in html
    assert "<script>" not in html  # the countdown's script is a static file


def test_anonymous_pages_have_no_countdown(client):
    assert "session-timer" not in client.get("/accounts/login/").content.decode()


def test_sessions_live_on_the_server(settings):
    assert settings.SESSION_ENGINE in {
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    }


def test_the_countdown_learns_of_the_end_and_the_login_page_says_why(client, user):
    sign_in(client, user)
    shift(client, **{ACTIVE_AT: 31 * 60})
    answer = client.get("/accounts/session/", HTTP_ACCEPT="application/json")
    assert (answer.status_code, answer.json()["seconds_left"]) == (401, 0)
    assert "30분 동안 사용하지 않아 로그아웃되었습니다" in client.get("/accounts/login/").content.decode()


def test_seconds_left_is_zero_only_once_the_session_has_ended(settings):
    """The countdown goes to the login page on 0; the server must by then have ended the session (and said why)."""
    from yunghap.accounts.sessions import expiry_reason, seconds_left

    settings.SESSION_IDLE_TIMEOUT = 1
    session = {SIGNED_IN_AT: 1000, ACTIVE_AT: 1000}
    assert (seconds_left(session, now=1059.6), expiry_reason(session, 1059.6)) == (1, None)
    assert (seconds_left(session, now=1060.0), expiry_reason(session, 1060.0)) == (0, "idle")


def test_status_of_a_signed_out_browser_says_signed_out(client):
    assert client.get("/accounts/session/", HTTP_ACCEPT="application/json").json() == {
        "seconds_left": 0,
        "signed_out": True,
    }
