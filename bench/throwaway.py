"""What the PostgreSQL benchmarks share: a throwaway database (created, migrated, dropped unless --keep),
and the timing of a call (median and worst wall time, median CPU time of this process)."""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse


def fresh_database(url: str) -> Callable[[], None]:
    """Create the database of `url` anew; returns what drops it. Only a database named yh_…bench…."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not name.startswith("yh_") or "bench" not in name:
        sys.exit(f"refusing to drop {name!r}: give a database named yh_…bench…, used for nothing else")
    admin_url = parsed._replace(path="/postgres").geturl()

    def recreate(create: bool) -> None:
        with psycopg.connect(admin_url, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            if create:
                connection.execute(f'CREATE DATABASE "{name}"')

    recreate(create=True)
    return lambda: recreate(create=False)


def run_on_throwaway(args: Any, default_url: str, run: Callable[[Any, str], None]) -> None:
    """Run `run(args, url)` with Django set up on a fresh database (DATABASE_URL when it names a bench
    database, else `default_url`), with DEBUG off; the database is dropped afterwards unless `args.keep`."""
    url = os.environ.get("DATABASE_URL") or default_url
    if "bench" not in url:
        url = default_url
    cleanup = fresh_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunghap.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    try:
        run(args, url)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            cleanup()


def median_ms(runs: int, call: Callable[[], Any]) -> tuple[float, float, float]:
    """Median and worst wall time, and the median CPU time of this process, in ms (a busy shared machine
    disturbs the CPU time much less; the database server's time is in the wall time only). One warm-up."""
    call()
    wall, cpu = [], []
    for _ in range(runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - cpu_started) * 1000)
    return statistics.median(wall), max(wall), statistics.median(cpu)
