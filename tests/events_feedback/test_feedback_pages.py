"""The survey pages: the participant's form (one-time token, Korean errors, refusals shown), the
managers' results (charts with tables, XLSX, hidden below the minimum, no names), and who sees what."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.events.factories import make_event
from tests.factories import make_user, region
from yunghap.accounts.models import Role
from yunghap.events.feedback import submit_feedback
from yunghap.events.models import FeedbackAnswer, FeedbackReceipt

from .helpers import participant

pytestmark = pytest.mark.django_db


def recent_event(days_ago: int = 1, **fields):
    """An event of the Seoul federation whose only session ended `days_ago` days ago."""
    start = timezone.localtime() - datetime.timedelta(days=days_ago, hours=3)
    return make_event(
        capacity=20,
        opens=(start - datetime.timedelta(days=20)).date().isoformat(),
        closes=(start - datetime.timedelta(days=10)).date().isoformat(),
        first_session=start.strftime("%Y-%m-%d %H:%M"),
        organiser=region("seoul"),
        **fields,
    )


def form_url(event):
    return reverse("events:feedback_form", kwargs={"code": event.code})


def results_url(event):
    return reverse("events:feedback_results", kwargs={"code": event.code})


def answer_post(client, event, **overrides):
    page = client.get(form_url(event))
    token = page.context["form"]["form_token"].value()
    data = {
        "instructor": "5",
        "materials": "4",
        "goal_met": "4",
        "facilities": "3",
        "comment": "",
        "form_token": token,
    }
    data.update(overrides)
    return client.post(form_url(event), data)


def test_participant_answers_once(client):
    event = recent_event()
    user = make_user("participant")
    participant(event, user=user, name="김참가")
    client.force_login(user)
    page = client.get(form_url(event))
    assert page.status_code == 200
    assert "강사의 설명은 이해하기 쉽고 충실했습니까?" in page.content.decode()
    token = page.context["form"]["form_token"].value()
    data = {
        "instructor": "5",
        "materials": "4",
        "goal_met": "4",
        "facilities": "3",
        "comment": "유익",
        "form_token": token,
    }
    done = client.post(form_url(event), data)
    assert done.status_code == 302
    again = client.post(form_url(event), data)  # the same form pressed again
    assert again.status_code == 200
    assert (
        "이미 이 행사의 만족도 조사에 답하셨습니다. 응답은 한 번만 할 수 있습니다." in again.content.decode()
    )
    assert FeedbackAnswer.objects.count() == FeedbackReceipt.objects.count() == 1
    shown = client.get(form_url(event))
    assert 'id="feedback-submit"' not in shown.content.decode()


def test_invalid_form_shows_korean_errors(client):
    event = recent_event()
    user = make_user("participant")
    participant(event, user=user)
    client.force_login(user)
    response = answer_post(client, event, instructor="", facilities="9", comment="가" * 2001)
    assert response.status_code == 200
    body = response.content.decode()
    assert "&#x27;강사&#x27; 문항에 답해 주세요." in body
    assert "&#x27;시설·환경&#x27; 문항은 1~5점 중에서 골라 주세요." in body
    assert "의견은 2000자 이내로 써 주세요." in body
    assert not FeedbackAnswer.objects.exists()


def test_closed_window_is_said_and_posting_changes_nothing(client):
    event = recent_event(days_ago=20)
    user = make_user("late")
    participant(event, user=user)
    client.force_login(user)
    page = client.get(form_url(event))
    assert page.status_code == 200
    assert "만족도 조사 기간(" in page.context["refusal"] and "이 끝났습니다." in page.context["refusal"]
    response = client.post(
        form_url(event), {"instructor": "5", "materials": "5", "goal_met": "5", "facilities": "5"}
    )
    assert response.status_code == 200
    assert not FeedbackAnswer.objects.exists()


def test_form_is_for_registered_people_only(client):
    event = recent_event()
    client.force_login(make_user("stranger"))
    assert client.get(form_url(event)).status_code == 403
    hidden = recent_event(audience="region", audience_region=region("busan"))
    assert client.get(form_url(hidden)).status_code == 404
    assert client.get(reverse("events:feedback_form", kwargs={"code": "no-such"})).status_code == 404


def test_results_for_managers_only(client):
    event = recent_event()
    seoul, busan = (
        make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul")),
        make_user("busan", Role.REGIONAL_STAFF, federation=region("busan")),
    )
    client.force_login(busan)
    assert client.get(results_url(event)).status_code == 403
    client.force_login(seoul)
    assert client.get(results_url(event)).status_code == 200
    assert client.post(results_url(event)).status_code == 405
    private = recent_event(audience="region", audience_region=region("seoul"))
    client.force_login(busan)
    assert client.get(results_url(private)).status_code == 404


def fill(event, count):
    people = []
    for n in range(count):
        person = participant(event, name=f"홍길동{n}", email=f"hong{n}@example.kr")
        submit_feedback(
            person,
            {
                "instructor": 5 - n % 2,
                "materials": 4,
                "goal_met": 3 + n % 3,
                "facilities": 4,
                "comment": f"의견{n}",
            },
            actor=None,
            now=timezone.now(),
        )
        people.append(person)
    return people


def test_results_hidden_below_the_minimum(client):
    event = recent_event()
    fill(event, 4)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    page = client.get(results_url(event))
    body = page.content.decode()
    assert "응답이 5건 이상 모여야 결과를 보여 드립니다." in body
    assert "앞으로 1건 더 필요합니다." in body
    assert "의견0" not in body and "data-chart" not in body
    assert client.get(results_url(event) + "?format=xlsx").status_code == 404


def test_results_charts_tables_no_names_and_xlsx(client):
    event = recent_event()
    fill(event, 5)
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    page = client.get(results_url(event))
    body = page.content.decode()
    assert page.status_code == 200
    assert body.count('data-chart="feedback-') == 2
    assert "<caption>문항별 응답 분포</caption>" in body
    assert "의견0" in body and "의견4" in body
    assert "홍길동" not in body and "hong0@example.kr" not in body
    assert page.context["results"].overall is not None
    download = client.get(results_url(event) + "?format=xlsx")
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="feedback-{event.code}.xlsx"'
    book = load_workbook(io.BytesIO(download.content))
    items = [[c for c in r if c is not None] for r in book["문항별 결과"].iter_rows(values_only=True)]
    assert items[0] == [f"{event.code} {event.title}"]
    assert items[1] == ["응답 수", 5, "전체 평균(점)", 4.1]  # (23 + 20 + 19 + 20) points / 20 scores
    assert items[2] == ["문항", "평균(점)", "1점", "2점", "3점", "4점", "5점", "응답 수"]
    assert items[3] == ["강사", 4.6, 0, 0, 0, 2, 3, 5]
    assert items[4] == ["교육 자료", 4.0, 0, 0, 0, 5, 0, 5]
    assert items[6] == ["시설·환경", 4.0, 0, 0, 0, 5, 0, 5]
    assert items[5] == ["목표 달성", 3.8, 0, 0, 2, 2, 1, 5]
    comments = [r[0] for r in book["의견"].iter_rows(values_only=True)]
    assert comments == ["의견", "의견0", "의견1", "의견2", "의견3", "의견4"]
    assert not any(
        "홍길동" in str(c) for sheet in book for row in sheet.iter_rows(values_only=True) for c in row
    )
    assert client.get(results_url(event) + "?format=pdf").status_code == 404


def test_guest_answers_through_the_personal_link_once(client, django_capture_on_commit_callbacks, mailoutbox):
    from yunghap.events.feedback import answer_link_token, invite_feedback

    event = recent_event()
    guest = participant(event, email="guest@example.kr")
    with django_capture_on_commit_callbacks(execute=True):
        invite_feedback()
    link = reverse("events:feedback_link", kwargs={"token": answer_link_token(guest)})
    assert any(link in m.body for m in mailoutbox if m.to == ["guest@example.kr"])
    page = client.get(link)
    assert page.status_code == 200
    data = {"instructor": "4", "materials": "4", "goal_met": "5", "facilities": "3", "comment": ""}
    assert client.post(link, {**data, "goal_met": "0"}).status_code == 200
    assert not FeedbackAnswer.objects.exists()
    assert client.post(link, data).status_code == 302
    again = client.post(link, data)
    assert "이미 이 행사의 만족도 조사에 답하셨습니다." in again.content.decode()
    assert (
        FeedbackAnswer.objects.count()
        == FeedbackReceipt.objects.get(registration=guest).survey.answers.count()
        == 1
    )


def test_links_not_signed_here_or_of_account_holders_are_404(client):
    from yunghap.events.feedback import answer_link_token

    event = recent_event()
    holder = participant(event, user=make_user("holder"))
    for token in ["abc", "1:forged", answer_link_token(holder)]:
        assert client.get(reverse("events:feedback_link", kwargs={"token": token})).status_code == 404


def settings_url(event):
    return reverse("events:feedback_settings", kwargs={"code": event.code})


def test_managers_set_the_minimum_and_the_period(client):
    from yunghap.core.models import AuditLog
    from yunghap.events.models import FeedbackSurvey

    event = recent_event()
    fill(event, 3)
    client.force_login(make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul")))
    page = client.get(settings_url(event))
    assert page.status_code == 200
    assert page.context["form"].initial == {"min_answers": 5, "open_days": 14}
    low = client.post(settings_url(event), {"min_answers": "2", "open_days": "0"})
    assert low.status_code == 200
    body = low.content.decode()
    assert "최소 응답 수는 3 이상이어야 합니다(소규모 응답자 식별 방지)." in body
    assert "응답 기간은 1일 이상이어야 합니다." in body
    assert FeedbackSurvey.objects.get(event=event).min_answers == 5
    done = client.post(settings_url(event), {"min_answers": "3", "open_days": "7", "version": "1"})
    assert done.status_code == 302
    survey = FeedbackSurvey.objects.get(event=event)
    assert (survey.min_answers, survey.open_days, survey.version) == (3, 7, 2)
    assert AuditLog.objects.filter(action="events.feedback_survey.update", object_id=str(survey.pk)).exists()
    assert client.get(results_url(event)).context["results"].shown  # 3 answers now suffice


def test_a_stale_settings_edit_shows_the_conflict(client):
    from yunghap.events.feedback import update_survey

    event = recent_event()
    central = make_user("central", Role.CENTRAL_STAFF)
    survey = update_survey(event, min_answers=5, open_days=14, actor=None, expected_version=None)
    update_survey(event, min_answers=6, open_days=14, actor=None, expected_version=survey.version)
    client.force_login(central)
    response = client.post(settings_url(event), {"min_answers": "4", "open_days": "10", "version": "1"})
    assert response.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in response.content.decode()
    survey.refresh_from_db()
    assert (survey.min_answers, survey.version) == (6, 2)


def test_settings_for_managers_only(client):
    event = recent_event()
    client.force_login(make_user("busan", Role.REGIONAL_STAFF, federation=region("busan")))
    assert client.get(settings_url(event)).status_code == 403
    assert client.post(settings_url(event), {"min_answers": "3", "open_days": "7"}).status_code == 403
