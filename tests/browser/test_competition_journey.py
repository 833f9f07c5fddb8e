"""A competition in Chromium (issue 11 §5): a consortium's lead firm enters and submits, staff assign the
reviewer automatically, the reviewer scores every criterion with comments, staff record the awards after the
close (frozen), and central staff turn the winning consortium's entry into a success story."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.competitions.helpers import close_entries
from tests.competitions.world import make_competition
from tests.programmes.chain_factories import make_funded
from tests.programmes.factories import make_reviewer
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.competitions import services
from yunghap.competitions.models import Award, Entry, ReviewerAssignment
from yunghap.stories.models import SuccessStory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


def confirm(page) -> None:
    page.locator("#confirm-submit").click()
    page.wait_for_load_state("networkidle")


def test_enter_judge_award_and_tell_the_story(page, live_server, network):  # noqa: F811
    funded = make_funded(network)
    competition = make_competition(network.users["seoul"])
    code = competition.event.code
    judge = make_reviewer("judge")
    group_entry = services.create_entry(
        competition,
        actor=network.users["officer"],
        group=network.seoul_group,
        title="교류회 공동개발",
        summary="요약",
    )
    services.submit_entry(group_entry, actor=network.users["officer"])
    base = f"{live_server.url}/competitions"

    # 1. The lead firm's user enters for the consortium and submits.
    sign_in(page, live_server, "firmuser")
    page.goto(f"{base}/{code}/")
    axe_check(page)
    page.get_by_role("link", name="출품하기").click()
    page.locator("#id_entrant").select_option(f"consortium:{funded.application.consortium_id}")
    page.locator("#id_title").fill("IoT 센서 하우징 공동개발")
    page.locator("#id_summary").fill("이업종 세 기업이 함께 만든 센서 하우징")
    page.get_by_role("button", name="저장").click()
    expect(page.locator("#entry-status")).to_contain_text("작성 중")
    axe_check(page)
    page.get_by_role("button", name="제출").click()
    expect(page.locator("#entry-status")).to_contain_text("제출")
    entry = Entry.objects.get(consortium=funded.application.consortium)

    # 2. Seoul staff assign the reviewer automatically (asked first).
    sign_in(page, live_server, "seoul")
    page.goto(f"{base}/{code}/reviewers/")
    axe_check(page)
    page.get_by_role("link", name="자동 배정").click()
    expect(page.locator("#confirm-summary")).to_contain_text("2건 배정합니다")
    confirm(page)
    expect(page.locator("#assignment-table")).to_contain_text(str(judge))
    assert ReviewerAssignment.objects.filter(reviewer=judge).count() == 2

    # 3. The reviewer scores both entries, a comment on every criterion.
    sign_in(page, live_server, "judge")
    tech, coop = competition.criteria.all()
    for title, points in (("IoT 센서 하우징 공동개발", ("9", "8.5")), ("교류회 공동개발", ("6", "7"))):
        page.goto(f"{base}/reviews/")
        page.get_by_role("link", name=title).click()
        page.locator(f"#id_points_{tech.pk}").fill(points[0])
        page.locator(f"#id_comment_{tech.pk}").fill("기술 결합이 분명합니다.")
        page.locator(f"#id_points_{coop.pk}").fill(points[1])
        page.locator(f"#id_comment_{coop.pk}").fill("역할 분담이 명확합니다.")
        axe_check(page)
        page.get_by_role("button", name="평가 제출").click()
        page.wait_for_load_state("networkidle")
    expect(page.locator("#queue-table")).to_contain_text("제출 88.00점")  # 9/10×60 + 8.5/10×40

    # 4. After the close, Seoul staff record the awards once.
    close_entries(competition)
    sign_in(page, live_server, "seoul")
    page.goto(f"{base}/{code}/ranking/")
    expect(page.locator("#ranking-table")).to_contain_text("88.00")
    axe_check(page)
    page.get_by_role("link", name="수상 기록").click()
    expect(page.locator("#confirm-summary")).to_contain_text("1위 대상: IoT 센서 하우징 공동개발 (88.00점)")
    confirm(page)
    expect(page.locator("#ranking-table")).to_contain_text("대상")
    expect(page.locator("#awards-error")).to_contain_text("기록된 수상은 바꿀 수 없습니다")
    assert list(Award.objects.order_by("rank").values_list("entry__title", flat=True)) == [
        "IoT 센서 하우징 공동개발",
        "교류회 공동개발",
    ]

    # 5. Central staff make the winning consortium's entry a success story.
    sign_in(page, live_server, "central")
    page.goto(f"{base}/entries/{entry.pk}/")
    expect(page.locator("#entry-award")).to_contain_text("1위 대상")
    page.get_by_role("link", name="성공사례로 등록").click()
    confirm(page)
    story = SuccessStory.objects.get()
    assert story.agreement == funded.agreement
    expect(page).to_have_url(f"{live_server.url}/stories/manage/{story.pk}/")
