"""One answer per registration under concurrency, on PostgreSQL: the same participant submits from 8
connections at once → exactly one answer and one receipt, the other seven told in Korean. And the
database alone refuses a second receipt when the service's lock is bypassed (two raw connections)."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from yunghap.events.feedback import submit_feedback
from yunghap.events.models import FeedbackAnswer, FeedbackReceipt, FeedbackSurvey

from .helpers import DURING, GOOD, ended_event, participant

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 8


def test_same_participant_from_many_connections_answers_once():
    registration = participant(ended_event())
    start = threading.Barrier(WORKERS)
    outcomes: list[object] = [None] * WORKERS

    def worker(i: int) -> None:
        try:
            start.wait(timeout=30)
            outcomes[i] = submit_feedback(registration, GOOD, actor=None, now=DURING)
        except Exception as exc:  # noqa: BLE001  (asserted below)
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == WORKERS - 1
    assert {e.messages[0] for e in refused} == {
        "이미 이 행사의 만족도 조사에 답하셨습니다. 응답은 한 번만 할 수 있습니다."
    }
    assert FeedbackReceipt.objects.count() == FeedbackAnswer.objects.count() == 1


def test_unique_constraint_holds_across_two_connections():
    registration = participant(ended_event())
    survey = FeedbackSurvey.objects.create(event=registration.event)
    first_inserted = threading.Event()
    second_done = threading.Event()
    errors: list[BaseException] = []

    def first() -> None:
        try:
            with transaction.atomic():
                FeedbackReceipt.objects.create(
                    survey=survey, registration=registration, submitted_on=DURING.date()
                )
                first_inserted.set()
                second_done.wait(2)  # the second insert waits on this uncommitted row
        finally:
            connections.close_all()

    def second() -> None:
        try:
            first_inserted.wait(10)
            with transaction.atomic():
                FeedbackReceipt.objects.create(
                    survey=survey, registration=registration, submitted_on=DURING.date()
                )
        except IntegrityError as exc:
            errors.append(exc)
        finally:
            second_done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(errors) == 1
    assert FeedbackReceipt.objects.count() == 1
