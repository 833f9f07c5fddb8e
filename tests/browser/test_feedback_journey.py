"""The satisfaction survey in Chromium (issue 11 §4): a guest answers through the personal link from the
invitation, and the page then says it was answered; the event's staff see the results drawn
by ECharts with their tables, with no names, and axe-core passes on both pages under the real CSP."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser.support import axe_check, csp_violations, login, watch_csp
from tests.events.factories import make_event
from tests.factories import make_user, region
from yunghap.accounts.models import Role
from yunghap.events.feedback import answer_link_token, submit_feedback
from yunghap.events.models import FeedbackAnswer, Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def survey_world(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    start = timezone.localtime() - datetime.timedelta(days=1, hours=3)
    event = make_event(
        code="fb-browser",
        title="스마트공장 융합 기술세미나",
        capacity=20,
        opens=(start - datetime.timedelta(days=20)).date().isoformat(),
        closes=(start - datetime.timedelta(days=10)).date().isoformat(),
        first_session=start.strftime("%Y-%m-%d %H:%M"),
        organiser=region("seoul"),
    )
    people = [
        Registration.objects.create(
            event=event,
            name=f"박참가{n}",
            email=f"guest{n}@example.kr",
            registered_at=start - datetime.timedelta(days=15),
            status=Registration.Status.CONFIRMED,
            queue_position=n + 1,
        )
        for n in range(7)
    ]
    for n, person in enumerate(people[2:]):
        submit_feedback(
            person,
            {
                "instructor": 4 + n % 2,
                "materials": 4,
                "goal_met": 3 + n % 3,
                "facilities": 5,
                "comment": f"좋은 사례 {n}",
            },
            actor=None,
        )
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    return {"event": event, "guest": people[0], "second": people[1]}


def test_guest_answers_and_staff_see_the_charts(page, live_server, survey_world):
    console = watch_csp(page)
    link = f"{live_server.url}/events/feedback/answer/{answer_link_token(survey_world['guest'])}/"
    page.goto(link)
    assert "스마트공장 융합 기술세미나 만족도 조사" in page.locator("h1").inner_text()
    for name, score in (("instructor", "5"), ("materials", "4"), ("goal_met", "4"), ("facilities", "3")):
        # KRDS draws its own radio: a click lands on the label, as a user's does.
        radio = page.locator(f"input[name={name}][value='{score}']")
        page.locator(f"label[for={radio.get_attribute('id')}]").click()
        assert radio.is_checked()
    page.locator("textarea[name=comment]").fill("현장 견학이 특히 유익했습니다.")
    page.locator("#feedback-submit").click()
    page.wait_for_load_state("networkidle")
    assert "만족도 조사에 답해 주셔서 감사합니다." in page.content()
    assert "이미 이 행사의 만족도 조사에 답하셨습니다." in page.locator("#feedback-refusal").inner_text()
    assert FeedbackAnswer.objects.count() == 6

    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.goto(f"{live_server.url}/events/fb-browser/feedback/results/")
    page.wait_for_selector(".chart svg")
    assert page.locator(".chart svg").count() == 2
    assert page.locator("#feedback-answers").inner_text() == "6"
    assert "현장 견학이 특히 유익했습니다." in page.locator("#feedback-comments").inner_text()
    body = page.locator("main").inner_text() if page.locator("main").count() else page.content()
    assert "박참가" not in body and "guest0@example.kr" not in body
    assert "문항별 응답 분포" in (page.locator("table").last.text_content() or "")  # in a closed <details>
    # Before axe-core: it adds style elements of its own while it checks contrast.
    assert csp_violations(page, console) == []
    axe_check(page)
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/events/feedback/answer/{answer_link_token(survey_world['second'])}/")
    page.wait_for_selector("#feedback-submit")
    axe_check(page)


def test_trend_page_draws_the_education_charts(page, live_server, survey_world):
    from decimal import Decimal

    from yunghap.events.statistics import refresh_event_figures

    Registration.objects.filter(pk=survey_world["second"].pk).update(
        hours_attended=Decimal("3.00"), completed=True
    )
    refresh_event_figures()
    make_user("central", Role.CENTRAL_STAFF)
    login(page, live_server, "central", "pw-central-2026!")
    year = timezone.localdate().year
    page.goto(f"{live_server.url}/statistics/?from={year - 1}&to={year}")
    page.wait_for_selector(".education-statistics .chart svg")
    # No monthly figures in this world: only the four education and event charts.
    assert page.locator(".education-statistics .chart svg").count() == 4
    tables = page.locator(".education-statistics table")
    assert "교육 참가와 수료" in (tables.first.text_content() or "")
    axe_check(page)
