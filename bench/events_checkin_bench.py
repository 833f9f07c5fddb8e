"""Check-in throughput at one door (issue 11 §3): many staff phones checking people in to one session at once.

    .venv/bin/python bench/events_checkin_bench.py [--workers 8] [--people 300] [--keep]

Runs on a throwaway database (default `yh_events_checkin_bench`; the name must start with `yh_` and contain
`bench`), dropped at the end unless --keep. One course of one session with --people confirmed registrations;
--workers threads (one connection each, the phones at the door) released together call
`events.attendance_services.check_in` for every person, each check-in also recomputing the completion and
issuing the certificate under the event's row lock. Prints check-ins per second and the median and p99 of one
check-in, then checks the outcome: everyone checked in once, one valid certificate each, numbers 1…N.
"""

from __future__ import annotations

import argparse
import datetime
import os
import queue
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.throwaway import run_on_throwaway  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_events_checkin_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--people", type=int, default=300)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    run_on_throwaway(args, DEFAULT_URL, run)


def run(args: Any, url: str) -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from yunghap.events.attendance_services import check_in
    from yunghap.events.models import Attendance, Certificate, Event, EventSession, Registration
    from yunghap.events.registration import register

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mails are not the measure
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    now = timezone.now()
    today = timezone.localdate()
    event = Event.objects.create(
        code="bench-course",
        title="부하 측정 교육과정",
        kind=Event.Kind.COURSE,
        capacity=args.people,
        registration_opens=today,
        registration_closes=today,
    )
    session = EventSession.objects.create(
        event=event, starts_at=now, ends_at=now + datetime.timedelta(hours=2), place="교육장"
    )
    people = [register(event, name=f"참가자{i}", email=f"p{i}@bench.kr") for i in range(args.people)]
    print(f"{len(people)} confirmed registrations made")
    connections.close_all()
    todo: queue.SimpleQueue[Registration] = queue.SimpleQueue()
    for person in people:
        todo.put(person)
    latencies: list[float] = []
    errors: list[Exception] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.workers + 1)

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    person = todo.get_nowait()
                except queue.Empty:
                    return
                begun = time.perf_counter()
                try:
                    check_in(person, session, actor=None, method=Attendance.Method.QR)
                except Exception as exc:  # noqa: BLE001  (counted)
                    with lock:
                        errors.append(exc)
                    continue
                with lock:
                    latencies.append(time.perf_counter() - begun)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    p99 = ordered[max(0, int(len(ordered) * 0.99) - 1)] if ordered else 0.0
    print(
        f"{len(latencies)} check-ins by {args.workers} workers in {elapsed:.2f} s: "
        f"{len(latencies) / elapsed:.1f}/s, median {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, errors {len(errors)}"
    )
    rows = Attendance.objects.filter(session=session).count()
    seqs = sorted(Certificate.objects.filter(registration__event=event).values_list("seq", flat=True))
    ok = rows == args.people and seqs == list(range(1, args.people + 1))
    print(f"outcome: {rows} attendance rows, {len(seqs)} certificates, numbers 1…N without a gap: {ok}")
    connections.close_all()


if __name__ == "__main__":
    main()
