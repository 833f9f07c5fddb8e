"""The budget form in a real browser: totals and shares follow the typing (budget.js), the server's rule check
follows through htmx (a share error shows live, goes when fixed), and the saved draft submits."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.support import login
from tests.programmes.factories import make_application, make_call, make_topic
from tests.web.conftest import PASSWORD_OF, network  # noqa: F401  (the fixture)
from yunghap.network.models import Firm
from yunghap.programmes.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_live_totals_share_error_fix_and_submit(page, live_server, network):  # noqa: F811
    call = make_call(code="c-live")
    topic = make_topic(code="t-live")
    call.topics.add(topic)
    partners = [Firm.objects.get(name="광빛차체"), Firm.objects.get(name="구로전자")]
    application = make_application(
        call,
        network.member_firm,
        partners,
        status=Application.Status.DRAFT,
        topic=topic,
        government=0,
        cash=0,
        inkind=0,
    )
    login(page, live_server, "firmuser", PASSWORD_OF.format("firmuser"))
    page.goto(f"{live_server.url}{reverse('programmes:application_edit', args=[application.pk])}")
    page.fill("input[name=government_personnel]", "16,000,000")
    page.fill("input[name=cash_personnel]", "1,000,000")
    page.fill("input[name=inkind_equipment]", "3,000,000")
    assert page.locator("#total-all").inner_text() == "20,000,000"
    assert page.locator("#share-government").inner_text() == "80.00"
    # The server's answer to the last typing (earlier answers may show in between).
    expect(page.locator("#rule-check [data-rule=government_share]")).to_have_text(
        "정부지원금 비율이 80.00%로, 최대 75%를 넘습니다."
    )
    page.fill("input[name=government_personnel]", "15,000,000")
    page.fill("input[name=inkind_equipment]", "4,000,000")
    expect(page.locator("#rule-check [data-rule=ok]")).to_be_visible()
    assert page.locator("#share-government").inner_text() == "75.00"
    assert page.locator("#share-cash").inner_text() == "20.00"
    page.click("#save-draft")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}{reverse('programmes:application_submit', args=[application.pk])}")
    page.click("#confirm-submit")
    page.wait_for_load_state("networkidle")
    application.refresh_from_db()
    assert (application.status, application.eligibility) == ("submitted", "eligible")
    assert page.locator("#application-status").inner_text().startswith("제출")
