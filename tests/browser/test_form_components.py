"""The KRDS form components in a real browser: what a user sees ticked is what is submitted, money is
formatted while typing, and components in content swapped in by htmx still work."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
from yunghap.accounts.models import Role
from yunghap.activities.models import Trade
from yunghap.network.models import ExchangeType
from yunghap.surveys.models import Survey, SurveyResponse

pytestmark = pytest.mark.browser

JOINED = datetime.date(2020, 1, 1)
# The box KRDS draws for a check box is the label's ::before; its colour shows the state.
BOX_COLOUR = "(label) => getComputedStyle(label, '::before').backgroundColor"
BOX_SIZE = "(label) => { const s = getComputedStyle(label, '::before'); return [parseFloat(s.width), parseFloat(s.height)]; }"


def _group_with_members():
    group = GroupFactory(code="seoul-c01", name="서울컴포넌트교류회")
    firms = [FirmFactory(name=name) for name in ("가나전자", "다라금속", "마바소프트")]
    for firm in firms[:2]:
        MembershipFactory(group=group, firm=firm, joined_on=JOINED)
    MembershipFactory(group=group, firm=firms[2], joined_on=JOINED, left_on=datetime.date(2024, 6, 30))
    make_user("officer_c", Role.GROUP_OFFICER, group=group)
    return group, firms


def test_survey_purposes_submit_what_the_user_sees(transactional_db, page, live_server):
    group, _firms = _group_with_members()
    group.exchange_types.add(ExchangeType.objects.get(code="info"))  # the ledger pre-ticks 정보교환
    year = datetime.date.today().year
    Survey.objects.create(year=year, opened_on=datetime.date.today())
    login(page, live_server, "officer_c", "pw-officer_c-2026!")
    page.goto(f"{live_server.url}/surveys/{year}/groups/{group.code}/")

    info = page.get_by_label("정보교환")
    resource = page.get_by_label("자원협력")
    info_label = page.locator("label[for=id_purpose_info]")
    resource_label = page.locator("label[for=id_purpose_resource]")
    assert info.is_checked() and not resource.is_checked()
    # The boxes are drawn (not 1×1 px clipped inputs) and show their state.
    width, height = info_label.evaluate(BOX_SIZE)
    assert width >= 16 and height >= 16
    ticked_colour, empty_colour = info_label.evaluate(BOX_COLOUR), resource_label.evaluate(BOX_COLOUR)
    assert ticked_colour != empty_colour
    axe_check(page)

    # Click the labels as a user would: the drawn boxes follow, and so does what is submitted.
    info_label.click()
    resource_label.click()
    assert not info.is_checked() and resource.is_checked()
    page.mouse.move(
        0, 0
    )  # hover and focus tint the box; compare the plain states once KRDS's transition ends
    page.evaluate("() => document.activeElement.blur()")
    box_is = "([s, c]) => getComputedStyle(document.querySelector(s), '::before').backgroundColor === c"
    page.wait_for_function(box_is, arg=["label[for=id_purpose_info]", empty_colour])
    page.wait_for_function(box_is, arg=["label[for=id_purpose_resource]", ticked_colour])
    page.get_by_role("button", name="임시 저장").click()
    page.wait_for_load_state("networkidle")
    answer = SurveyResponse.objects.get(group=group)
    assert (answer.purpose_info, answer.purpose_resource, answer.purpose_newproduct) == (False, True, False)
    # The saved answer shows the same boxes ticked.
    assert not page.get_by_label("정보교환").is_checked() and page.get_by_label("자원협력").is_checked()


def test_money_is_grouped_while_typing_and_saved_as_won(transactional_db, page, live_server):
    group, firms = _group_with_members()
    login(page, live_server, "officer_c", "pw-officer_c-2026!")
    page.goto(f"{live_server.url}/activities/groups/{group.code}/trades/new/")
    assert "---------" not in page.content()
    assert page.locator("select[name=buyer] option").first.inner_text() == "선택하세요"
    page.fill("input[name=traded_on]", "2025-04-01")
    page.select_option("select[name=buyer]", label="가나전자")
    page.select_option("select[name=seller]", label="다라금속")
    page.fill("input[name=item]", "금형 부품")
    amount = page.locator("input[name=amount_krw]")
    amount.press_sequentially("1234000")
    assert amount.input_value() == "1,234,000"
    axe_check(page)
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert Trade.objects.get().amount_krw == 1234000

    # A bad amount is refused on the server with a Korean message tied to the input.
    page.goto(f"{live_server.url}/activities/groups/{group.code}/trades/new/")
    page.fill("input[name=amount_krw]", "12a")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    error = page.locator("#id_amount_krw_error")
    assert "금액은 숫자로 입력해 주세요" in error.inner_text()
    assert "id_amount_krw_error" in (
        page.locator("input[name=amount_krw]").get_attribute("aria-describedby") or ""
    )


def test_components_work_in_content_swapped_in_by_htmx(transactional_db, page, live_server):
    group, _firms = _group_with_members()
    login(page, live_server, "officer_c", "pw-officer_c-2026!")
    page.goto(f"{live_server.url}/activities/groups/{group.code}/meetings/new/?held_on=2025-03-13")
    page.evaluate(
        "() => { window.swaps = 0; document.body.addEventListener('htmx:afterSwap', () => { window.swaps += 1; }); }"
    )
    sheet = page.locator("#attendance-sheet")
    assert sheet.get_by_label("마바소프트").count() == 0
    # A date when the third firm was a member: htmx swaps in a new attendance sheet.
    page.fill("input[name=held_on]", "2024-03-14")
    sheet.get_by_label("마바소프트").wait_for()
    assert page.evaluate("window.swaps") == 1
    # Its set-up ran again: the helper buttons are shown and work, the count follows the drawn boxes.
    page.get_by_role("button", name="전원 출석").click()
    assert page.locator("#attendance-count").inner_text() == "출석 3 / 3곳 (100.0%)"
    label = sheet.locator("label", has_text="마바소프트")
    width, _height = label.evaluate(BOX_SIZE)
    assert width >= 16
    label.click()
    assert not sheet.get_by_label("마바소프트").is_checked()
    assert page.locator("#attendance-count").inner_text() == "출석 2 / 3곳 (66.7%)"

    # A money input swapped in by htmx is set up as well (components.js runs on htmx:load).
    page.evaluate(
        """() => { const box = document.createElement('div'); box.id = 'swap-target';
        document.querySelector('main').appendChild(box); }"""
    )
    trade_url = f"/activities/groups/{group.code}/trades/new/"
    page.evaluate(
        "(url) => htmx.ajax('GET', url, {target: '#swap-target', select: '[data-field=amount_krw]'})",
        trade_url,
    )
    swapped = page.locator("#swap-target input[name=amount_krw]")
    swapped.wait_for()
    assert page.evaluate("window.swaps") == 2
    swapped.press_sequentially("5000000")
    assert swapped.input_value() == "5,000,000"
