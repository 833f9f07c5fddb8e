"""The survey's rules (issue 11 §4): anonymous answers, one per registration, the window, who may answer,
the minimum number of answers before results show, and the invitation sent once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from tests.events.factories import kst
from tests.factories import make_user
from yunghap.core.models import Notification
from yunghap.events.feedback import feedback_results, invite_feedback, submit_feedback
from yunghap.events.models import (
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackReceipt,
    FeedbackSurvey,
    Registration,
)

from .helpers import DURING, ENDED, GOOD, attended, ended_event, participant

pytestmark = pytest.mark.django_db


def refusal(registration, answers=GOOD, *, now=DURING, actor=None):
    with pytest.raises(ValidationError) as caught:
        submit_feedback(registration, answers, actor=actor, now=now)
    error = caught.value
    if hasattr(error, "error_dict"):  # per field: every field's code
        codes = {e.code for errors in error.error_dict.values() for e in errors}
        assert len(codes) == 1
        return codes.pop(), error.messages
    return error.code, error.messages


def test_answers_hold_no_link_to_a_person():
    """No field of an answer leads to a person, a registration, a user or a moment."""
    fields = {f.name: f for f in FeedbackAnswer._meta.get_fields()}
    assert set(fields) == {"id", "survey", "instructor", "materials", "goal_met", "facilities", "comment"}
    related = {f.name: f.related_model for f in FeedbackAnswer._meta.get_fields() if f.is_relation}
    assert related == {"survey": FeedbackSurvey}
    assert not any(isinstance(f, (datetime.datetime, datetime.date)) for f in fields)
    assert FeedbackAnswer._meta.pk.get_internal_type() == "UUIDField"  # not a sequence matching receipts


def test_answer_stored_and_receipt_separate():
    event = ended_event()
    registration = participant(event)
    receipt = submit_feedback(registration, {**GOOD, "comment": "  좋았습니다 "}, actor=None, now=DURING)
    assert receipt.registration == registration
    assert receipt.submitted_on == datetime.date(2026, 3, 25)
    answer = FeedbackAnswer.objects.get()
    assert (answer.instructor, answer.materials, answer.goal_met, answer.facilities) == (5, 4, 4, 3)
    assert answer.comment == "좋았습니다"
    assert answer.survey == receipt.survey == FeedbackSurvey.objects.get(event=event)


def test_second_answer_refused_in_korean():
    event = ended_event()
    registration = participant(event)
    submit_feedback(registration, GOOD, actor=None, now=DURING)
    assert refusal(registration) == (
        "duplicate",
        ["이미 이 행사의 만족도 조사에 답하셨습니다. 응답은 한 번만 할 수 있습니다."],
    )
    assert FeedbackAnswer.objects.count() == FeedbackReceipt.objects.count() == 1


def test_database_refuses_a_second_receipt():
    from django.db import IntegrityError, transaction

    event = ended_event()
    registration = participant(event)
    receipt = submit_feedback(registration, GOOD, actor=None, now=DURING)
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackReceipt.objects.create(
            survey=receipt.survey, registration=registration, submitted_on=DURING.date()
        )


def test_window_from_the_end_of_the_last_session_for_14_days():
    event = ended_event()
    registration = participant(event)
    assert refusal(registration, now=ENDED - datetime.timedelta(minutes=1)) == (
        "window",
        ["만족도 조사는 행사가 끝난 뒤(2026-03-20 17:00부터) 답할 수 있습니다."],
    )
    assert refusal(registration, now=kst("2026-04-03 17:01")) == (
        "window",
        ["만족도 조사 기간(2026-03-20 17:00 ~ 2026-04-03 17:00)이 끝났습니다."],
    )
    assert not FeedbackAnswer.objects.exists()
    submit_feedback(registration, GOOD, actor=None, now=kst("2026-04-03 17:00"))  # the last minute counts


def test_window_follows_the_surveys_days():
    event = ended_event()
    FeedbackSurvey.objects.create(event=event, open_days=3)
    registration = participant(event)
    assert refusal(registration, now=kst("2026-03-24 10:00"))[0] == "window"


def test_only_confirmed_and_if_attendance_was_taken_present():
    event = ended_event()
    waiting = participant(event, status=Registration.Status.WAITING)
    assert refusal(waiting) == ("eligibility", ["참가가 확정된 분만 만족도 조사에 답할 수 있습니다."])
    present, absent = participant(event), participant(event)
    submit_feedback(absent, GOOD, actor=None, now=DURING)  # no attendance taken yet: confirmed is enough
    attended(present)
    other = participant(event)
    assert refusal(other) == ("eligibility", ["행사에 출석한 분만 만족도 조사에 답할 수 있습니다."])
    submit_feedback(present, GOOD, actor=None, now=DURING)
    assert FeedbackAnswer.objects.count() == 2


def test_scores_checked_by_the_service():
    event = ended_event()
    registration = participant(event)
    code, messages = refusal(registration, {**GOOD, "instructor": 6, "facilities": None})
    assert code == "answers"
    assert sorted(messages) == sorted(
        ["'강사' 문항은 1~5점 중에서 골라 주세요.", "'시설·환경' 문항은 1~5점 중에서 골라 주세요."]
    )
    assert not FeedbackReceipt.objects.exists()


def test_only_the_participant_answers_for_themselves():
    event = ended_event()
    owner, other = make_user("owner"), make_user("other")
    registration = participant(event, user=owner)
    with pytest.raises(PermissionDenied):
        submit_feedback(registration, GOOD, actor=other, now=DURING)
    submit_feedback(registration, GOOD, actor=owner, now=DURING)


def test_results_hidden_below_the_minimum_then_exact():
    event = ended_event()
    people = [participant(event) for _ in range(6)]
    scores = [(5, 4, 3, 2), (4, 4, 3, 2), (5, 5, 5, 5), (3, 4, 1, 2)]
    for person, (a, b, c, d) in zip(people, scores, strict=False):
        submit_feedback(
            person,
            {"instructor": a, "materials": b, "goal_met": c, "facilities": d, "comment": f"의견 {a}"},
            actor=None,
            now=DURING,
        )
    hidden = feedback_results(event)
    assert (hidden.answers, hidden.shown, hidden.missing, hidden.items, hidden.comments) == (
        4,
        False,
        1,
        [],
        [],
    )
    submit_feedback(
        people[4],
        {"instructor": 2, "materials": 3, "goal_met": 4, "facilities": 4, "comment": "가장 먼저 보일 의견"},
        actor=None,
        now=DURING,
    )
    shown = feedback_results(event)
    assert shown.shown and shown.answers == 5 and shown.participants == 6
    by_key = {item.key: item for item in shown.items}
    assert str(by_key["instructor"].mean) == "3.80"  # (5+4+5+3+2)/5
    assert by_key["instructor"].distribution == [0, 1, 1, 1, 2]
    assert str(by_key["goal_met"].mean) == "3.20"
    assert str(by_key["facilities"].mean) == "3.00"
    assert str(by_key["materials"].mean) == "4.00"
    assert str(shown.overall) == "3.50"  # (19 + 20 + 16 + 15) points / 20 scores
    # Comments in the order of their text, not of their arrival.
    assert shown.comments == ["가장 먼저 보일 의견", "의견 3", "의견 4", "의견 5", "의견 5"]


def test_minimum_is_data_of_the_survey():
    event = ended_event()
    FeedbackSurvey.objects.create(event=event, min_answers=3)
    for _ in range(3):
        submit_feedback(participant(event), GOOD, actor=None, now=DURING)
    assert feedback_results(event).shown


def test_invite_once_after_the_last_session(django_capture_on_commit_callbacks, mailoutbox):
    event = ended_event()
    user = make_user("invited")
    with_account = participant(event, user=user)
    without_account = participant(event, email="guest@example.kr")
    participant(event, status=Registration.Status.CANCELLED)
    participant(event, status=Registration.Status.WAITING)
    assert invite_feedback(ENDED - datetime.timedelta(minutes=1)) == {"events": 0, "invited": 0}
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_feedback(DURING) == {"events": 1, "invited": 2}
    assert set(FeedbackInvitation.objects.values_list("registration", flat=True)) == {
        with_account.pk,
        without_account.pk,
    }
    notice = Notification.objects.get(recipient=user)
    assert notice.code == "events.feedback.invited"
    assert notice.params["until"] == "2026-04-03 17:00"
    assert notice.params["url"].endswith(f"/events/{event.code}/feedback/")
    assert any(m.to == ["guest@example.kr"] and "만족도 조사에 답해 주세요" in m.body for m in mailoutbox)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_feedback(DURING + datetime.timedelta(days=1)) == {"events": 0, "invited": 0}
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mailoutbox) == sent
    assert without_account.pk  # the guest was mailed once


def test_invite_skips_the_absent_once_attendance_was_taken():
    event = ended_event()
    present, absent = participant(event), participant(event)
    attended(present)
    attended(absent, minutes=0)
    assert invite_feedback(DURING) == {"events": 1, "invited": 1}
    assert list(FeedbackInvitation.objects.values_list("registration", flat=True)) == [present.pk]


def test_invite_not_after_the_window():
    event = ended_event()
    participant(event)
    assert invite_feedback(kst("2026-04-04 10:00")) == {"events": 0, "invited": 0}
    assert event.pk


def test_invite_command_with_at():
    from io import StringIO

    event = ended_event()
    participant(event)
    out = StringIO()
    call_command("invite_feedback", "--at", "2026-03-21 09:00", stdout=out)
    assert out.getvalue().strip() == "행사 1건, 만족도 조사 안내 1건을 보냈습니다."
    call_command("invite_feedback", "--at", "2026-03-22 09:00", stdout=out)
    assert out.getvalue().strip().endswith("행사 0건, 만족도 조사 안내 0건을 보냈습니다.")
    assert FeedbackInvitation.objects.count() == 1


def test_refusals_in_english_for_an_english_reader():
    from django.utils import translation

    event = ended_event()
    registration = participant(event)
    submit_feedback(registration, GOOD, actor=None, now=DURING)
    with translation.override("en"):
        assert refusal(registration) == (
            "duplicate",
            ["You have already answered this event's satisfaction survey. Each participant answers once."],
        )
        assert refusal(participant(event), now=kst("2026-04-04 10:00")) == (
            "window",
            ["The satisfaction survey (2026-03-20 17:00 to 2026-04-03 17:00) is closed."],
        )


def test_a_guests_invitation_is_not_copied_to_the_firm_user_who_registered_them(
    django_capture_on_commit_callbacks, mailoutbox
):
    """The invitation's link answers as the guest: only the guest gets it, not the colleague who
    registered them (who is told of everything else, e.g. the confirmation)."""
    event = ended_event()
    colleague = make_user("colleague")
    participant(event, email="guest2@example.kr", registered_by=colleague)
    with django_capture_on_commit_callbacks(execute=True):
        assert invite_feedback(DURING) == {"events": 1, "invited": 1}
    assert not Notification.objects.filter(recipient=colleague).exists()
    assert [m.to for m in mailoutbox] == [["guest2@example.kr"]]
