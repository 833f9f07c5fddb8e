"""The page shell in Chromium: the compact phone header and its 메뉴 button (aria-expanded, focus, Esc), the
full menu on wide screens, Korean words kept whole in tables, and wide tables scrolling in a box the keyboard
can reach."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_check, login
from tests.web.conftest import network  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_header_folds_the_menu_behind_an_accessible_button(page, live_server, network):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server, "central", "pw-central-2026!")
    page.goto(f"{live_server.url}/groups/")
    button = page.locator("#site-menu-button")
    menu_link = page.locator("nav.site-menu a", has_text="회원사")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu-panel"
    assert not menu_link.is_visible() and not page.locator("#logout-button").is_visible()
    header_height = page.locator("#krds-header").bounding_box()["height"]
    assert header_height < 100, f"the phone header is {header_height}px tall"

    button.focus()
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true"
    assert menu_link.is_visible() and page.locator("#logout-button").is_visible()
    assert page.evaluate("document.activeElement.closest('#site-menu-panel') !== null"), (
        "focus moves into the menu"
    )
    axe_check(page)
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not menu_link.is_visible()
    assert page.evaluate("document.activeElement.id") == "site-menu-button", "Esc gives focus back"

    button.click()
    assert menu_link.is_visible()
    page.locator("h1").click()  # a click outside closes it
    assert button.get_attribute("aria-expanded") == "false"

    page.set_viewport_size({"width": 1366, "height": 800})
    assert not button.is_visible() and menu_link.is_visible() and page.locator("#logout-button").is_visible()


def test_korean_words_stay_whole_and_wide_tables_scroll_in_their_box(page, live_server, network):  # noqa: F811
    page.set_viewport_size({"width": 390, "height": 800})
    login(page, live_server, "central", "pw-central-2026!")
    page.goto(f"{live_server.url}/groups/")
    name = page.locator("#group-table a", has_text="테헤란기술교류회")
    assert page.evaluate("(el) => el.getClientRects().length", name.element_handle()) == 1, "the name broke"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    box = page.locator("#group-table").locator("xpath=ancestor::div[contains(@class,'krds-table-wrap')][1]")
    assert page.evaluate("(el) => el.scrollWidth > el.clientWidth", box.element_handle())
    assert box.get_attribute("tabindex") == "0" and box.get_attribute("role") == "region"
    assert box.get_attribute("aria-label")
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=box.element_handle())
    axe_check(page)
