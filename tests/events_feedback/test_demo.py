"""The survey's demo data: answers for ended events only, the same for a seed, not made twice."""

from __future__ import annotations

from io import StringIO

import pytest

from tests.events.factories import make_event
from yunghap.events.demo_feedback import build_feedback_demo
from yunghap.events.models import FeedbackAnswer, FeedbackInvitation, FeedbackReceipt

from .helpers import ended_event, participant

pytestmark = pytest.mark.django_db


def run(seed: int = 7) -> str:
    out = StringIO()
    build_feedback_demo(seed=seed, stdout=out)
    return out.getvalue()


def test_answers_for_ended_events_once():
    ended = ended_event()
    people = [participant(ended) for _ in range(20)]
    upcoming = make_event(opens="2026-11-01", closes="2026-11-10", first_session="2099-01-10 10:00")
    participant(upcoming)
    message = run()
    answers = FeedbackAnswer.objects.count()
    assert message.strip() == f"만족도 조사: 행사 1건에 응답 {answers}건을 만들었습니다."
    assert 8 <= answers <= 20
    assert FeedbackReceipt.objects.count() == answers
    assert FeedbackInvitation.objects.count() == len(people)
    assert not FeedbackReceipt.objects.filter(registration__event=upcoming).exists()
    assert all(1 <= a.instructor <= 5 for a in FeedbackAnswer.objects.all())
    assert run().strip() == "만족도 조사: 응답이 이미 있어 시연 데이터를 만들지 않았습니다."
    assert FeedbackAnswer.objects.count() == answers


def test_same_seed_same_answers():
    event = ended_event()
    for _ in range(12):
        participant(event)
    run(seed=3)
    first = sorted(
        (a.instructor, a.materials, a.goal_met, a.facilities, a.comment) for a in FeedbackAnswer.objects.all()
    )
    FeedbackAnswer.objects.all().delete()
    FeedbackReceipt.objects.all().delete()
    FeedbackInvitation.objects.all().delete()
    run(seed=3)
    again = sorted(
        (a.instructor, a.materials, a.goal_met, a.facilities, a.comment) for a in FeedbackAnswer.objects.all()
    )
    assert first == again
