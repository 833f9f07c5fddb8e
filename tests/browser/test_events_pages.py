"""The event pages in Chromium (issue 11, helper H2), with the checks of test_every_page (no horizontal
scroll at 1366 and 390 px, keep-all, breadcrumbs, axe-core) — quick to run on their own — and a sign-up
through the page: the calendar, the event, the form, my registrations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.support import login
from tests.browser.test_every_page import (
    BREADCRUMB_JS,
    USERNAMES,
    WIDTHS,
    check_page,
    pages_to_visit,
    screenshot_dir,
)
from tests.test_permission_matrix import world  # noqa: F401  (the fixture)
from tests.web.conftest import network  # noqa: F401  (the fixture world needs)
from yunghap.events.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_event_pages_at_both_widths(browser, live_server, world, tmp_path_factory):  # noqa: F811
    shots = screenshot_dir(tmp_path_factory)
    visits = [v for v in pages_to_visit(world) if v[1].startswith("events:")]
    assert len(visits) >= 10
    problems: list[str] = []
    for persona in dict.fromkeys(p for p, _n, _u in visits):
        context = browser.new_context(locale="ko-KR", viewport={"width": WIDTHS[0], "height": 900})
        page = context.new_page()
        if persona != "anon":
            username = USERNAMES.get(persona, persona)
            login(page, live_server, username, f"pw-{username}-2026!")
        for _p, name, path in (v for v in visits if v[0] == persona):
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, f"{path} as {persona}: {response.status}"
            crumbs = page.evaluate(BREADCRUMB_JS)
            if crumbs["count"] < 2 or not crumbs["lastCurrent"]:
                problems.append(f"breadcrumbs of {name}: {crumbs['texts']}")
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.wait_for_timeout(200)
                problems += check_page(page, f"{persona}--{name.replace(':', '-')}", width, shots)
        context.close()
    assert not problems, "\n".join(problems)


def test_sign_up_from_the_calendar(browser, live_server, world):  # noqa: F811
    context = browser.new_context(locale="ko-KR", viewport={"width": 390, "height": 900})
    page = context.new_page()
    login(page, live_server, "nobody", "pw-nobody-2026!")
    page.goto(f"{live_server.url}{reverse('events:calendar')}?view=list")
    page.get_by_role("link", name="ev-public 행사").click()
    page.locator("#register-button").click()
    page.get_by_label("이름").fill("홍길동")
    page.get_by_label("이메일").fill("hong@example.com")
    page.locator("#register-form button[type=submit]").click()
    page.wait_for_url(f"**{reverse('events:my_registrations')}")
    assert "신청이 확정되었습니다." in page.content()
    assert page.locator("#my-registrations tbody tr").count() == 1
    made = Registration.objects.get(email="hong@example.com")
    assert made.status == "confirmed" and made.user.username == "nobody"
    context.close()
