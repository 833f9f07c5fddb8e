"""The public portal's directory and discovery in Chromium (issue 12 §3, §6): an anonymous visitor searches
the directory and opens a firm's public card (no personal data on it); the firm's user consents to the
listing from "내 공개 카드", and marks interest in a topic, which staff then see among its candidate firms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.directory.world import list_firm
from tests.programmes.factories import make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.network.models import FirmListing
from yunghap.programmes.models import Topic, TopicInterest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_a_firm_and_a_firm_user_marks_interest(page, live_server, network):  # noqa: F811
    list_firm(network.chair_firm)
    list_firm(network.busan_firm)
    make_topic(code="t-hydrogen", title="수소 연료전지 스택", status=Topic.Status.LEADING)

    # 1. An anonymous visitor searches the directory by name and opens the card.
    page.goto(f"{live_server.url}/directory/firms/")
    expect(page.locator("#directory-firm-table")).to_contain_text("부산정밀")
    page.locator("#filter-q").fill("광빛")
    page.locator("#directory-firm-filter-submit").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#directory-firm-table")).not_to_contain_text("부산정밀")
    page.get_by_role("link", name="광빛차체").click()
    expect(page.locator("h1")).to_have_text("광빛차체")
    card = page.locator("#firm-card")
    expect(card).to_contain_text("30 ")
    for secret in ("김혜민", "010-6278-1954", network.chair_firm.brn_display):
        expect(page.locator("main")).not_to_contain_text(secret)
    axe_check(page)

    # 2. The member firm's user consents from "내 공개 카드"; the card is then in the directory.
    login(page, live_server, "firmuser", "pw-firmuser-2026!")
    page.goto(f"{live_server.url}/directory/mine/")
    expect(page.locator("#listing-state-1")).to_contain_text("비공개")
    axe_check(page)
    page.get_by_role("button", name="공개에 동의").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#listing-state-1")).to_contain_text("공개 중")
    assert FirmListing.objects.get(firm=network.member_firm).consented

    # 3. They mark interest in a public topic and see the state.
    page.goto(f"{live_server.url}/discovery/")
    page.get_by_role("link", name="수소 연료전지 스택").click()
    page.get_by_role("button", name="관심 있음").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#topic-interest")).to_contain_text("관심 표시함")
    axe_check(page)
    assert TopicInterest.objects.filter(firm=network.member_firm, topic__code="t-hydrogen").exists()

    # 4. Central staff see the firm among the topic's candidate firms.
    page.context.clear_cookies()
    login(page, live_server, "central", "pw-central-2026!")
    page.goto(f"{live_server.url}/programmes/topics/t-hydrogen/")
    expect(page.locator("#candidate-firms")).to_contain_text("새영테크")
