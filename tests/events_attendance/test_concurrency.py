"""Check-in under concurrency on PostgreSQL: two scanners at one door read the same pass at once (one
attendance row, one certificate, the other told "already"), and 30 people checked in at once by several
scanners get certificates numbered 1…30 without a gap or a duplicate (the event row lock)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tests.events_attendance.helpers import course, during, person, sessions
from yunghap.events import attendance_services as svc
from yunghap.events.models import Attendance, Certificate

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def run_at_once(jobs):
    results: list[object] = [None] * len(jobs)
    start = threading.Barrier(len(jobs))

    def worker(i):
        try:
            start.wait(timeout=60)
            results[i] = jobs[i]()
        except Exception as exc:  # noqa: BLE001  (asserted by the callers)
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_two_scanners_read_one_pass_at_once():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    at = during(session, 1)
    results = run_at_once([lambda: svc.check_in(registration, session, actor=None, at=at)] * 2)
    assert all(isinstance(r, svc.CheckIn) for r in results), results
    assert sorted(r.already for r in results) == [False, True]
    assert Attendance.objects.count() == 1 and Certificate.objects.count() == 1


def test_thirty_people_at_once_get_certificates_1_to_30():
    event = course(capacity=30)
    people = [person(event, n) for n in range(30)]
    (session,) = sessions(event)
    at = during(session, 1)
    jobs = [lambda r=r: svc.check_in(r, session, actor=None, at=at) for r in people]
    results = run_at_once(jobs)
    assert [r for r in results if not isinstance(r, svc.CheckIn)] == []
    assert sorted(Certificate.objects.values_list("seq", flat=True)) == list(range(1, 31))
    assert Certificate.objects.values("registration").distinct().count() == 30
