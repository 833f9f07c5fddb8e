"""`yunghap remind_events` run by several processes at once on PostgreSQL: every confirmed registration is
reminded exactly once (the unique EventReminder row; the second insert waits and then fails)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.events.factories import kst, make_event
from yunghap.core.models import Notification
from yunghap.events import message_codes as codes
from yunghap.events.models import EventReminder
from yunghap.events.registration import register
from yunghap.events.reminders import send_reminders

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]

RUNS = 6


def test_concurrent_runs_remind_each_registration_once():
    from tests.factories import make_user

    event = make_event(capacity=30)
    for i in range(30):
        user = make_user(f"person{i}")
        user.email = f"person{i}@naver.com"
        user.save()
        register(event, name=f"사람{i}", email=user.email, user=user, at=kst("2026-03-02 10:00"))
    results: list[dict[str, int] | Exception] = []
    start = threading.Barrier(RUNS)

    def run() -> None:
        try:
            start.wait(timeout=60)
            results.append(send_reminders(kst("2026-03-19 18:00")))
        except Exception as exc:  # noqa: BLE001  (asserted below)
            results.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(RUNS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(isinstance(r, dict) for r in results), results
    assert sum(r["sent"] for r in results if isinstance(r, dict)) == 30
    assert EventReminder.objects.filter(registration__event=event).count() == 30
    assert Notification.objects.filter(code=codes.EVENT_REMINDER).count() == 30
