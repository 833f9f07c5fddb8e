"""Staff turn a closed consortium into a success story in Chromium (issue 10 §7): central staff start it
from the settled agreement (pre-filled from the records), ask for consent, each member firm's user consents
in the interface, publishing is refused until the last one has, then it is published and the public page
shows it to an anonymous visitor."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.factories import make_user
from tests.programmes.chain_factories import make_funded
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.network.models import Firm
from yunghap.stories.models import StoryState, SuccessStory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


def confirm(page) -> None:
    page.locator("#confirm-submit").click()
    page.wait_for_load_state("networkidle")


def test_staff_turn_a_closed_consortium_into_a_story(page, live_server, network):  # noqa: F811
    funded = make_funded(network)
    make_user("chairuser", Role.FIRM_USER, firm=network.chair_firm)
    make_user("gurouser", Role.FIRM_USER, firm=Firm.objects.get(name="구로전자"))
    base = f"{live_server.url}/stories"

    # 1. Central staff start the story from the list of settled agreements with a good result.
    sign_in(page, live_server, "central")
    page.goto(f"{base}/manage/")
    row = page.locator("#story-candidates tr", has_text=funded.application.ref)
    row.get_by_role("link", name="성공사례 시작").click()
    expect(page.locator("#confirm-summary")).to_contain_text("참여기업 모두가 동의해야 게시할 수 있습니다.")
    confirm(page)
    story = SuccessStory.objects.get()
    expect(page.locator("#story-facts")).to_contain_text("테헤란기술교류회")
    expect(page.locator("#story-facts")).to_contain_text("새영테크 ↔ 광빛차체")
    expect(page.locator("#story-body")).to_contain_text("정부지원금 15,000,000원")
    axe_check(page)
    page.locator("[data-action=request_consent]").click()
    confirm(page)
    expect(page.locator("#story-state")).to_contain_text("동의 대기")

    # 2. Publishing before the firms consent is refused, saying how many are missing.
    page.locator("[data-action=publish]").click()
    expect(page.locator("#confirm-summary")).to_contain_text("아직 동의하지 않은 기업이 3곳 있습니다.")
    expect(page.locator("#confirm-submit")).to_have_count(0)

    # 3. Each member firm's user consents in the interface.
    for username in ("firmuser", "chairuser", "gurouser"):
        sign_in(page, live_server, username)
        page.goto(f"{base}/manage/{story.pk}/")
        page.locator("[data-action=consent]").click()
        confirm(page)
        expect(page.locator("#consent-summary")).to_be_visible()
    expect(page.locator("#consent-summary")).to_contain_text("모든 참여기업이 동의했습니다.")

    # 4. Central staff publish it; an anonymous visitor finds it on the public list.
    sign_in(page, live_server, "central")
    page.goto(f"{base}/manage/{story.pk}/")
    page.locator("[data-action=publish]").click()
    confirm(page)
    expect(page.locator("#story-state")).to_contain_text("게시")
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED

    page.context.clear_cookies()
    page.goto(f"{base}/?industry_a=26&industry_b=30")
    page.get_by_role("link", name=story.title).click()
    expect(page.locator("#story-facts")).to_contain_text("IoT 센서 하우징 특허 출원")
    axe_check(page)
