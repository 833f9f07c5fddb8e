"""Survey actions that ask first (close, remind), "수정 요청" of a submitted answer, response rates per region,
and the one rule for who is asked (dissolved groups are not)."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import GroupFactory, MembershipFactory, make_user, region
from tests.helpers import at_once
from tests.write_once_support import COMMITTED_ROWS, postgres_only
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.network.models import ExchangeGroup
from yunghap.surveys import services
from yunghap.surveys.models import SurveyReminder, SurveyResponse

ANSWER = {"members": 12, "meetings": 11, "attendance_rate": 85}


def _token(page) -> str:
    match = re.search(r'name="form_token" value="([^"]+)"', page.content.decode())
    assert match, "the confirmation page carries a one-time token"
    return match.group(1)


def _submit(world, group):
    response = services.save_response(world.survey, group, actor=None, **ANSWER)
    return services.submit_response(response, actor=None)


@pytest.fixture
def dissolved(world):
    group = GroupFactory(code="seoul-old", name="해산교류회", status=ExchangeGroup.Status.DISSOLVED)
    MembershipFactory(group=group)
    make_user("officer_old", Role.GROUP_OFFICER, group=group)
    return group


def test_dissolved_groups_are_not_survey_targets(world, dissolved, central, client):
    targets = set(services.survey_targets(world.survey).values_list("code", flat=True))
    assert targets == {"seoul-s01", "seoul-s02", "busan-s01"}, "not the dissolved one, nor the young one"
    assert dissolved not in services.pending_groups(world.survey)
    # Reminders never reach it …
    assert services.send_reminders(world.survey, actor=central) == 3
    assert not SurveyReminder.objects.filter(group=dissolved).exists()
    assert not Notification.objects.filter(recipient__username="officer_old").exists()
    # … it cannot answer …
    with pytest.raises(ValidationError) as refused:
        services.save_response(world.survey, dissolved, actor=None, **ANSWER)
    assert "해산한 교류회(해산교류회)는" in refused.value.messages[0]
    # … and the status page neither lists nor counts it.
    client.force_login(central)
    page = client.get(reverse("surveys:status", args=[world.year])).content.decode()
    assert "해산교류회" not in page
    counts = re.search(r'id="status-counts">.*?<tbody><tr><td>(\d+)</td>', page, re.S)
    assert counts and counts.group(1) == "3"


def test_the_import_asks_the_same_groups(world, dissolved, central):
    from yunghap.surveys.imports import SurveyImporter

    importer = SurveyImporter(actor=central, options={"year": world.year})
    assert importer.check_options() == []
    row = {
        "group_code": dissolved.code,
        "year": str(world.year),
        "members": "10",
        "meetings": "10",
        "attendance_rate": "80",
    }
    _plans, errors = importer.plan([(2, row)])
    assert [e.column for e in errors] == ["group_code"]
    assert "해산한 교류회(해산교류회)는" in errors[0].message


def test_reminders_ask_first_with_the_count_they_send_to(client, world, dissolved, central, seoul_staff):
    _submit(world, world.seoul_b)
    client.force_login(seoul_staff)
    url = reverse("surveys:remind", args=[world.year])
    page = client.get(url, {"region": "seoul"})
    assert page.status_code == 200
    text = page.content.decode()
    # Seoul: seoul-s01 pending; seoul-s02 submitted; the dissolved and the young group are not asked.
    assert "1개 교류회에 독려 메일을 보냅니다." in text
    assert services.pending_groups(world.survey, region("seoul")).count() == 1
    assert not SurveyReminder.objects.exists(), "asking sends nothing"
    token = _token(page)
    done = client.post(url, {"region": "seoul", "form_token": token})
    assert done.status_code == 302 and done["Location"].endswith("?region=seoul")
    assert SurveyReminder.objects.count() == 1
    again = client.post(url, {"region": "seoul", "form_token": token})
    assert again.status_code == 302 and SurveyReminder.objects.count() == 1, "sent once"
    assert client.get(url, {"region": "busan"}).status_code == 403

    client.force_login(central)
    page = client.get(url)
    assert "2개 교류회에 독려 메일을 보냅니다." in page.content.decode()  # seoul-s01 and busan-s01


def test_closing_asks_first(client, world, central):
    _submit(world, world.seoul_a)
    client.force_login(central)
    url = reverse("surveys:close", args=[world.year])
    page = client.get(url)
    assert page.status_code == 200
    assert "대상 교류회 3곳 중 2곳이 아직 제출하지 않았습니다." in page.content.decode()
    world.survey.refresh_from_db()
    assert world.survey.is_open
    assert client.post(url, {}).status_code == 400
    world.survey.refresh_from_db()
    assert world.survey.is_open
    assert client.post(url, {"form_token": _token(page)}).status_code == 302
    world.survey.refresh_from_db()
    assert not world.survey.is_open
    assert "이미 마감된 조사입니다." in client.get(url).content.decode()


def test_staff_reopen_a_submitted_answer_with_a_reason(world, officer, seoul_staff, central):
    answer = _submit(world, world.seoul_a)
    with pytest.raises(ValidationError) as refused:
        services.reopen_response(answer, actor=seoul_staff, reason="  ")
    assert refused.value.message_dict["reason"] == ["수정 요청 사유를 입력해 주세요."]
    busan_staff = make_user("busanstaff", Role.REGIONAL_STAFF, federation=region("busan"))
    with pytest.raises(PermissionDenied):
        services.reopen_response(answer, actor=busan_staff, reason="다른 지역")
    with pytest.raises(PermissionDenied):
        services.reopen_response(answer, actor=officer, reason="스스로")

    services.reopen_response(answer, actor=seoul_staff, reason="참석률이 장부와 다릅니다.")
    answer.refresh_from_db()
    assert answer.status == SurveyResponse.Status.DRAFT and answer.submitted_at is None
    assert answer.reopen_reason == "참석률이 장부와 다릅니다."
    note = Notification.objects.get(recipient=officer, verb="survey.reopen")
    assert "참석률이 장부와 다릅니다." in note.message and note.link.endswith(
        f"/groups/{world.seoul_a.code}/"
    )
    audit = AuditLog.objects.get(action="survey_response.reopen")
    assert audit.actor == seoul_staff and audit.changes["reason"] == "참석률이 장부와 다릅니다."
    # The officers can correct and submit again; a draft cannot be reopened.
    with pytest.raises(ValidationError) as draft:
        services.reopen_response(answer, actor=central, reason="또")
    assert draft.value.code == "not_submitted"
    services.save_response(world.survey, world.seoul_a, actor=officer, meetings=12)
    services.submit_response(answer, actor=officer)
    # Central staff may reopen anywhere, but not once the survey is closed.
    services.close_survey(world.survey, actor=central)
    answer.refresh_from_db()
    with pytest.raises(ValidationError) as closed:
        services.reopen_response(answer, actor=central, reason="늦게")
    assert closed.value.code == "closed"


def test_reopen_through_the_pages(
    client, world, officer, seoul_staff, mailoutbox, django_capture_on_commit_callbacks
):
    _submit(world, world.seoul_a)
    client.force_login(seoul_staff)
    answer_page = client.get(reverse("surveys:group_answer", args=[world.year, world.seoul_a.code]))
    assert 'id="reopen-link"' in answer_page.content.decode()
    url = reverse("surveys:response_reopen", args=[world.year, world.seoul_a.code])
    page = client.get(url)
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    missing = client.post(url, {"form_token": _token(page), "reason": ""})
    assert missing.status_code == 400 and "수정 요청 사유를 입력해 주세요." in missing.content.decode()
    assert SurveyResponse.objects.get(group=world.seoul_a).is_submitted
    with_reason = {"form_token": _token(page), "reason": "회원 수를 확인해 주세요."}
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, with_reason).status_code == 302
    assert client.post(url, with_reason).status_code == 302  # the same page again: one reopening
    assert AuditLog.objects.filter(action="survey_response.reopen").count() == 1
    assert any("회원 수를 확인해 주세요." in m.body for m in mail.outbox)
    # The officer sees why, and may edit again.
    client.force_login(officer)
    page = client.get(reverse("surveys:group_answer", args=[world.year, world.seoul_a.code])).content.decode()
    assert 'id="reopen-reason"' in page and "회원 수를 확인해 주세요." in page
    assert 'name="members"' in page and "disabled" not in page.split('name="members"')[1].split(">")[0]
    assert client.get(url).status_code == 403


def test_response_rate_per_region_with_the_groups_not_yet_answered(
    client, world, dissolved, central, seoul_staff
):
    _submit(world, world.seoul_a)
    services.save_response(world.survey, world.seoul_b, actor=None, members=3)
    client.force_login(central)
    page = client.get(reverse("surveys:status", args=[world.year])).content.decode()
    table = page.split('id="region-rates">')[1].split("</table>")[0]
    rows = re.findall(
        r"<tr>\s*<th scope=\"row\">(.*?)</th>\s*<td>(\d+)</td>\s*<td>(\d+)</td>\s*<td>(.*?)</td>", table
    )
    assert [(name, targets, submitted, rate) for name, targets, submitted, rate in rows] == [
        ("서울연합회", "2", "1", "50.0%"),
        ("부산연합회", "1", "0", "0.0%"),
    ]
    seoul_pending = table.split("부산연합회")[0]
    assert (
        "서울나교류회" in seoul_pending
        and "(작성 중)" in seoul_pending
        and "서울가교류회" not in seoul_pending
    )
    assert "해산교류회" not in table
    assert "응답률 (제출 완료 ÷ 대상)" in page

    client.force_login(seoul_staff)
    page = client.get(reverse("surveys:status", args=[world.year])).content.decode()
    table = page.split('id="region-rates">')[1].split("</table>")[0]
    assert "서울" in table and "부산" not in table


@postgres_only
@COMMITTED_ROWS
def test_two_staff_reopening_at_once_reopen_once(world, officer, seoul_staff, central):
    answer = _submit(world, world.seoul_a)
    results = at_once(
        lambda: services.reopen_response(answer, actor=seoul_staff, reason="지역 확인"),
        lambda: services.reopen_response(answer, actor=central, reason="중앙 확인"),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "not_submitted"
    assert AuditLog.objects.filter(action="survey_response.reopen").count() == 1
    assert Notification.objects.filter(recipient=officer, verb="survey.reopen").count() == 1
