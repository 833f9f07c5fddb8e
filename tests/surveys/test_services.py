from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from yunghap.core.models import AuditLog, Notification
from yunghap.surveys import services
from yunghap.surveys.models import Survey, SurveyReminder, SurveyResponse

ANSWER = {"members": 12, "meetings": 11, "attendance_rate": Decimal("85.5"), "purpose_info": True}


def test_central_staff_open_a_year_once(world, central, seoul_staff):
    with pytest.raises(PermissionDenied, match="권한이 없습니다"):
        services.open_survey(world.year - 1, actor=seoul_staff)
    survey = services.open_survey(world.year - 1, actor=central)
    assert survey.is_open and survey.opened_by == central
    with pytest.raises(ValidationError, match="이미 진행 중"):
        services.open_survey(world.year - 1, actor=central)
    with pytest.raises(ValidationError, match="아직 오지 않은"):
        services.open_survey(datetime.date.today().year + 1, actor=central)
    assert AuditLog.objects.filter(action="survey.open", object_id=str(survey.pk)).exists()


def test_command_opens_a_year(world):
    call_command("survey", "open", str(world.year - 2))
    assert Survey.objects.get(year=world.year - 2).is_open
    with pytest.raises(CommandError, match="이미 진행 중"):
        call_command("survey", "open", str(world.year - 2))


def test_draft_then_submit(world, officer):
    response = services.save_response(world.survey, world.seoul_a, actor=officer, members=12)
    assert response.status == SurveyResponse.Status.DRAFT
    with pytest.raises(ValidationError) as exc:
        services.submit_response(response, actor=officer)
    assert set(exc.value.message_dict) == {"meetings", "attendance_rate"}
    services.submit_response(response, actor=officer, **ANSWER)
    response.refresh_from_db()
    assert response.is_submitted and response.submitted_by == officer
    assert response.attendance_rate == Decimal("85.5")
    with pytest.raises(ValidationError, match="이미 제출"):
        services.save_response(world.survey, world.seoul_a, actor=officer, members=13)


def test_officer_answers_only_for_their_group(world, officer):
    with pytest.raises(PermissionDenied, match="권한이 없습니다"):
        services.save_response(world.survey, world.seoul_b, actor=officer, **ANSWER)
    assert not SurveyResponse.objects.exists()


def test_bad_values_and_ineligible_groups(world, officer, central):
    with pytest.raises(ValidationError) as exc:
        services.save_response(
            world.survey, world.seoul_a, actor=officer, attendance_rate=Decimal("120"), meetings=400
        )
    assert set(exc.value.message_dict) == {"attendance_rate", "meetings"}
    with pytest.raises(ValidationError, match="조사 대상이 아닙니다"):
        services.save_response(world.survey, world.young, actor=central, **ANSWER)
    services.close_survey(world.survey, actor=central)
    with pytest.raises(ValidationError, match="마감"):
        services.save_response(world.survey, world.seoul_a, actor=officer, **ANSWER)


def test_reminders_reach_the_regions_pending_officers(
    world, officer, busan_officer, seoul_staff, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    busan = world.busan.federation
    with pytest.raises(PermissionDenied, match="권한이 없습니다"):
        services.send_reminders(world.survey, actor=seoul_staff, federation=busan)
    with pytest.raises(PermissionDenied, match="권한이 없습니다"):
        services.send_reminders(world.survey, actor=seoul_staff)  # the whole country is central staff's
    submitted = services.save_response(world.survey, world.seoul_b, actor=None, **ANSWER)
    services.submit_response(submitted, actor=None)
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_reminders(world.survey, actor=seoul_staff, federation=world.seoul_a.federation)
    assert count == 1  # seoul_b has answered; busan is another region
    assert list(SurveyReminder.objects.values_list("group__code", flat=True)) == ["seoul-s01"]
    assert Notification.objects.filter(recipient=officer, verb="survey.reminder").count() == 1
    assert not Notification.objects.filter(recipient=busan_officer).exists()
    assert [m.to for m in mail.outbox] == [["officer_a@example.com"]]
    assert AuditLog.objects.filter(action="survey.remind").count() == 1
