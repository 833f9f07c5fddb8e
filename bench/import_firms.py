"""Import N firms (default 100,000) from a generated CSV with the real importer; print rows/s and memory.

    .venv/bin/python bench/import_firms.py [--rows N] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_transfer_bench .venv/bin/python bench/import_firms.py

Runs on a fresh database of its own, never the dev database: a temporary SQLite file by default, or the
PostgreSQL database named in DATABASE_URL, which is dropped and created anew (and dropped at the end
unless --keep). Timed runs have no tracing; the Python heap peak (tracemalloc) is measured in separate
runs, because tracing slows Python down several times.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)
REGIONS = [
    "seoul",
    "incheon",
    "gyeonggi",
    "gangwon",
    "chungbuk",
    "daejeon-chungnam",
    "jeonbuk",
    "gwangju-jeonnam",
    "daegu-gyeongbuk",
    "busan",
    "ulsan",
    "gyeongnam",
    "jeju",
]
KSIC = ["C10", "C20", "C22", "C25", "C26110", "C27", "C28", "C29", "J58", "J62", "M70", "M72", "F41", "G46"]
SURNAMES = "김이박최정강조윤장임한오서신권황안송류홍"
GIVEN = "민서준도윤하지우현수영재은성진호태경아"
WORDS = ["정밀", "테크", "산업", "전자", "소재", "기계", "바이오", "솔루션", "에너지", "시스템"]


def brn_for(seq: int) -> str:
    """A valid, unique business registration number: 9 digits from `seq`, then the check digit."""
    base = f"{101 + (seq // 1_000_000) % 899:03d}{(seq // 10_000) % 100:02d}{seq % 10_000:04d}"
    digits = [int(c) for c in base]
    total = sum(d * w for d, w in zip(digits, WEIGHTS, strict=True)) + (digits[8] * 5) // 10
    return base + str((10 - total % 10) % 10)


def write_csv(path: Path, rows: int) -> None:
    rng = random.Random(2009)
    header = [
        "brn",
        "name",
        "representative",
        "phone",
        "email",
        "address",
        "region",
        "ksic",
        "employees",
        "revenue_krw",
        "founded_on",
        "technologies",
        "products",
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for seq in range(rows):
            brn = brn_for(seq)
            writer.writerow(
                [
                    f"{brn[:3]}-{brn[3:5]}-{brn[5:]}" if seq % 2 else brn,
                    f"(주){rng.choice(WORDS)}{rng.choice(WORDS)}{seq}",
                    rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
                    f"010-{rng.randrange(10000):04d}-{rng.randrange(10000):04d}",
                    f"ceo{seq}@firm{seq % 997}.co.kr",
                    f"도로명 {rng.randrange(1, 500)}",
                    REGIONS[seq % len(REGIONS)],
                    rng.choice(KSIC),
                    rng.randrange(1, 300),
                    f"{rng.randrange(10**8, 10**11):,}",
                    f"{rng.randrange(1970, 2020)}.{rng.randrange(1, 13):02d}.{rng.randrange(1, 29):02d}",
                    ";".join(rng.sample(WORDS, 2)),
                    rng.choice(WORDS) + " 부품",
                ]
            )


def fresh_database(url: str, workdir: Path) -> tuple[str, Any]:
    """The database URL to use and a function that removes it afterwards."""
    if not url or url.startswith("sqlite"):
        path = workdir / "bench.sqlite3"
        return f"sqlite:///{path}", lambda: None
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
    return url, lambda: recreate(create=False)


def timed(label: str, rows: int, run: Any) -> Any:
    """Wall time, and this process's CPU time, which a busy shared machine disturbs much less."""
    started, cpu_started = time.perf_counter(), time.process_time()
    result = run()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(
        f"{label:<34} wall {seconds:7.2f} s {rows / seconds:9,.0f} rows/s"
        f" | cpu {cpu:7.2f} s {rows / cpu:9,.0f} rows/cpu-s"
    )
    return result


def traced(label: str, run: Any) -> Any:
    tracemalloc.start()
    result = run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} tracemalloc peak {peak / 2**20:7.1f} MiB")
    return result


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="yh-import-bench-") as tmp:
        workdir = Path(tmp)
        url, cleanup = fresh_database(os.environ.get("DATABASE_URL", ""), workdir)
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunghap.settings")
        os.environ["MEDIA_ROOT"] = str(workdir / "media")
        try:
            run_bench(args.rows, workdir, url, args.keep)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                cleanup()


def run_bench(rows: int, workdir: Path, url: str, keep: bool) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from yunghap.core.imports import import_file
    from yunghap.network.models import Firm

    started = time.perf_counter()
    sum(i * i for i in range(10**7))
    # The machine is shared: this pure-Python loop shows how fast the CPU was for us during the run.
    print(f"cpu calibration: 10^7 squares summed in {time.perf_counter() - started:.2f} s")
    source = workdir / "firms.csv"
    started = time.perf_counter()
    write_csv(source, rows)
    print(f"database: {connection.vendor} ({urlparse(url).path})")
    print(
        f"generated {rows:,} rows, {source.stat().st_size / 2**20:.1f} MiB in {time.perf_counter() - started:.1f} s"
    )
    call_command("migrate", verbosity=0)

    def run(dry_run: bool) -> Any:
        report = import_file("firms", source, actor=None, dry_run=dry_run, filename=source.name)
        if not report.ok:
            sys.exit(f"import failed: {report.errors[:5]}")
        return report

    report = timed("dry run (read + check)", rows, lambda: run(True))
    assert report.created == rows and not Firm.objects.exists()
    report = timed("import (read + check + write)", rows, lambda: run(False))
    assert Firm.objects.count() == rows
    report = timed("re-import, all unchanged", rows, lambda: run(False))
    assert report.unchanged == rows
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS of the untraced runs':<34} {maxrss:7.1f} MiB")
    traced("dry run", lambda: run(True))
    with connection.cursor() as cursor:  # the ORM's delete would load all the rows to cascade
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Firm._meta.db_table)}")  # noqa: S608
    traced("import", lambda: run(False))
    assert Firm.objects.count() == rows
    started = time.perf_counter()
    sum(i * i for i in range(10**7))
    print(f"cpu calibration at the end: {time.perf_counter() - started:.2f} s")
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak RSS incl. tracemalloc runs':<34} {maxrss:7.1f} MiB")
    if keep:
        print(f"kept database {url}")


if __name__ == "__main__":
    main()
