"""Registration throughput under load (issue 11, measurements): 50 concurrent sign-ups on PostgreSQL.

    .venv/bin/python bench/events_registration_bench.py [--workers 50] [--people 1000] [--capacity 300] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_events_bench .venv/bin/python bench/events_registration_bench.py

Runs on a throwaway database (default `yh_events_bench`; the name must start with `yh_` and contain `bench`),
dropped at the end unless --keep. One event with --capacity seats; --workers threads (one connection each)
released together call `events.registration.register` for --people distinct people. Prints sign-ups per
second and the median and p99 latency of one sign-up, then checks the outcome (capacity confirmed, the
rest waiting, positions 1…N without a gap). This measures the service (the lock on the event row and the
queries under it), not HTTP: the registration pages are not built yet.
"""

from __future__ import annotations

import argparse
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_events_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=50)
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--capacity", type=int, default=300)
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

    from yunghap.events.models import Event, Registration
    from yunghap.events.registration import register

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mails are not the measure
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    event = Event.objects.create(
        code="bench-seminar",
        title="부하 측정 세미나",
        kind=Event.Kind.SEMINAR,
        capacity=args.capacity,
        registration_opens=today,
        registration_closes=today,
    )
    connections.close_all()
    todo: queue.SimpleQueue[int] = queue.SimpleQueue()
    for i in range(args.people):
        todo.put(i)
    latencies: list[float] = []
    errors: list[Exception] = []
    lock = threading.Lock()
    barrier = threading.Barrier(args.workers + 1)

    def worker() -> None:
        try:
            barrier.wait()
            while True:
                try:
                    i = todo.get_nowait()
                except queue.Empty:
                    return
                begun = time.perf_counter()
                try:
                    register(event, name=f"참가자{i}", email=f"p{i}@bench.kr")
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
        f"{len(latencies)} sign-ups by {args.workers} workers in {elapsed:.2f} s: "
        f"{len(latencies) / elapsed:.1f}/s, median {statistics.median(ordered) * 1000:.1f} ms, "
        f"p99 {p99 * 1000:.1f} ms, errors {len(errors)}"
    )
    statuses = list(
        Registration.objects.filter(event=event).order_by("queue_position").values_list("status", flat=True)
    )
    positions = list(
        Registration.objects.filter(event=event)
        .order_by("queue_position")
        .values_list("queue_position", flat=True)
    )
    confirmed = statuses.count(Registration.Status.CONFIRMED)
    ok = (
        confirmed == min(args.capacity, args.people)
        and statuses[:confirmed] == [Registration.Status.CONFIRMED] * confirmed
        and positions == list(range(1, args.people + 1))
    )
    print(
        f"outcome: {confirmed} confirmed, {statuses.count(Registration.Status.WAITING)} waiting, in order: {ok}"
    )
    connections.close_all()


if __name__ == "__main__":
    main()
