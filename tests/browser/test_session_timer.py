"""The header countdown in a real browser: it counts down, 연장 restarts it, at zero the login page explains."""

from __future__ import annotations

import re
from importlib import import_module

import pytest
from django.conf import settings

from tests.browser.support import axe_violations, login
from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.accounts.sessions import ACTIVE_AT

pytestmark = pytest.mark.django_db(transaction=True)


def clock_seconds(page) -> int:
    minutes, seconds = page.locator("#session-clock").inner_text().split(":")
    return int(minutes) * 60 + int(seconds)


def age_session(page, seconds: int) -> None:
    key = next(c["value"] for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=key)
    store[ACTIVE_AT] = store[ACTIVE_AT] - seconds
    store.save()


def test_countdown_extend_and_timeout(page, live_server, settings):
    make_user("timer", Role.CENTRAL_STAFF)
    login(page, live_server, "timer", "pw-timer-2026!")
    page.goto(f"{live_server.url}/accounts/profile/")
    assert page.locator(".my-time dt").inner_text() == "로그아웃까지 남은 시간"
    first = clock_seconds(page)
    assert 29 * 60 <= first <= 30 * 60
    page.wait_for_timeout(2200)
    assert clock_seconds(page) < first  # it counts down
    assert not axe_violations(page)

    age_session(page, 20 * 60)
    page.reload()
    assert clock_seconds(page) <= 10 * 60
    page.get_by_role("button", name="연장").click()
    page.wait_for_function("() => document.getElementById('session-clock').textContent >= '29:'")
    assert clock_seconds(page) >= 29 * 60
    assert "/accounts/profile/" in page.url  # extended in place, no reload

    # With a one-minute timeout, idle for 55 s (a page view then records no activity, that needs 60 s):
    # the clock shows 5 s, and at zero the page goes to the login page, which says why.
    settings.SESSION_IDLE_TIMEOUT = 1
    page.reload()  # recorded as activity just now (the last one was over a minute ago)
    age_session(page, 55)
    page.reload()
    assert clock_seconds(page) <= 6
    page.wait_for_url(re.compile(r"/accounts/login/\?next="), timeout=15_000)
    page.get_by_text("1분 동안 사용하지 않아 로그아웃되었습니다").wait_for()
    assert page.locator("#session-timer").count() == 0
