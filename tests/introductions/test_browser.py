"""In a real browser: a coordinator opens a firm of the caseload, sees its need's recommended partners with
the reasons, and sends an introduction."""

from __future__ import annotations

import re

import pytest

from tests.browser.support import axe_check, login
from yunghap.introductions.models import Introduction
from yunghap.introductions.workflow import State

from .conftest import password


@pytest.fixture
def reference_data(transactional_db):
    """Regions and KSIC divisions, which a transactional test may find flushed by the one before it."""
    from yunghap.network.reference import load_reference_data
    from yunghap.programmes.reference import load_growth_engines

    load_reference_data()
    load_growth_engines()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_goes_from_a_need_to_a_sent_introduction(reference_data, page, live_server, world):  # noqa: F811
    login(page, live_server, world.coordinator.username, password(world.coordinator))
    page.goto(f"{live_server.url}/introductions/caseload/")
    axe_check(page)
    page.get_by_role("link", name=world.seeker.name).click()

    page.get_by_role("heading", name="센서 하우징 금형 제작").wait_for()
    table = page.locator("table", has_text=world.partner.name)
    row = table.locator("tr", has_text=world.partner.name)
    assert "금형" in row.inner_text()  # the reason names what matched
    assert "010-9876-5432" not in page.content()
    axe_check(page)

    row.get_by_role("button", name=re.compile("소개하기")).click()
    page.wait_for_url(re.compile(r"/introductions/\d+/$"))
    assert page.locator("[data-state]").inner_text() == "응답 대기"
    assert "소개 요청을 보냈습니다" in page.content()
    axe_check(page)

    intro = Introduction.objects.get()
    assert intro.state == State.AWAITING and intro.seeker == world.seeker and intro.partner == world.partner
    assert intro.sent_at is not None


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_partner_firm_sees_the_badge_opens_the_request_and_accepts(
    reference_data,
    page,  # noqa: F811  (fixture imported from tests.browser.support)
    live_server,
    world,
    intro,
):
    login(page, live_server, world.partner_user.username, password(world.partner_user))
    badge = page.locator("#notifications-link [data-unread-count]")
    badge.wait_for(state="visible")
    assert badge.inner_text() == "1"
    page.locator("#notifications-link").click()
    axe_check(page)
    page.get_by_role("button", name=re.compile(re.escape(world.seeker.name))).click()
    page.wait_for_url(re.compile(rf"/introductions/{intro.pk}/$"))
    assert "010-1111-2222" not in page.content()  # the seeker's phone stays masked until both accept
    page.get_by_label("메시지(선택)").first.fill("함께 해 보겠습니다")
    page.get_by_role("button", name="수락", exact=True).click()
    page.wait_for_url(re.compile(rf"/introductions/{intro.pk}/$"))
    intro.refresh_from_db()
    assert intro.partner_answer == "accepted" and intro.state == State.AWAITING
    # The firm's posting form is usable without serious accessibility faults too.
    page.goto(f"{live_server.url}/matching/postings/new/")
    page.get_by_label("제목").wait_for()
    axe_check(page)
