"""Registration under load on PostgreSQL (issue 11 "Tests and measurements"): 200 people press at once for
the last 10 seats → exactly 10 confirmed, the other 190 waiting in the order they got through, none lost.
Each worker thread has its own database connection."""

from __future__ import annotations

import queue
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from tests.events.factories import make_event
from yunghap.events.models import Registration
from yunghap.events.registration import register

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]

S = Registration.Status
WORKERS = 32  # connections at once (the shared server allows 100); 200 sign-ups queue on them
PEOPLE = 200


def test_200_at_once_for_the_last_10_seats():
    today = timezone.localdate()
    event = make_event(capacity=50, opens=today.isoformat(), closes=today.isoformat(), first_session=None)
    for i in range(40):
        register(event, name=f"먼저{i}", email=f"early{i}@a.kr")
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(PEOPLE):
        todo.put(i)
    results: list[Registration | Exception | None] = [None] * PEOPLE
    start = threading.Barrier(WORKERS)

    def worker() -> None:
        try:
            start.wait(timeout=60)  # every connection presses at the same moment
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    results[i] = register(event, name=f"동시{i}", email=f"rush{i}@a.kr")
                except Exception as exc:  # noqa: BLE001  (asserted below)
                    results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)

    assert [r for r in results if not isinstance(r, Registration)] == []
    rush = list(Registration.objects.filter(event=event, email__startswith="rush").order_by("queue_position"))
    assert len(rush) == PEOPLE and len({r.email for r in rush}) == PEOPLE
    assert [r.queue_position for r in rush] == list(range(41, 41 + PEOPLE))
    assert [r.status for r in rush] == [S.CONFIRMED] * 10 + [S.WAITING] * (PEOPLE - 10)
    times = [r.registered_at for r in rush]
    assert times == sorted(times)  # the line is the order they got through
    assert Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT).count() == 50
