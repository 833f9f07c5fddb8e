"""The portal home under load: anonymous visitors, 50 concurrent connections, requests/s and p99.

    .venv/bin/python bench/portal_home.py                        # fresh SQLite, gunicorn sync:2, 10 s per run
    .venv/bin/python bench/portal_home.py --duration 5 --config gthread:2x8
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_bench .venv/bin/python bench/portal_home.py

What it does: builds a fresh database (`migrate`, then the network-only demo and the portal's demo posts),
starts gunicorn with DEBUG off (bench.bench_settings: the project plus the bare one-query page at
/bench/bare/), then a plain asyncio client (no new dependency) keeps 50 connections busy against `/` —
each request a new HTTP/1.1 connection, as gunicorn's sync workers close them — and against the bare page
for comparison. It prints requests/s, p50 and p99 of each, and whether the home was served from the portal's
anonymous cache (`X-Portal-Cache: hit`). Server and client share this machine's cores: compare the ratio.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import VENV_BIN, bench_env, free_port, start_server  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
CONNECTIONS = 50


def build_database(env: dict[str, str], sqlite: bool) -> None:
    subprocess.run([str(VENV_BIN / "yunghap"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    demo = [str(VENV_BIN / "yunghap"), "demo", "--network-only"] + ([] if sqlite else ["--reset", "--yes"])
    subprocess.run(demo, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    seed = "import sys; from yunghap.portal.demo import build_demo; build_demo(seed=1, stdout=sys.stdout)"
    subprocess.run([str(VENV_BIN / "yunghap"), "shell", "-c", seed], env=env, check=True, cwd=ROOT)


async def one_request(port: int, path: str) -> tuple[float, int, bool]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Language: ko\r\nConnection: close\r\n\r\n".encode()
    )
    await writer.drain()
    data = await reader.read()
    writer.close()
    head = data.split(b"\r\n\r\n", 1)[0]
    status = int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0
    return time.perf_counter() - started, status, b"X-Portal-Cache: hit" in head


async def load(port: int, path: str, duration: float) -> dict[str, float]:
    deadline = time.perf_counter() + duration
    latencies: list[float] = []
    errors = 0
    hits = 0

    async def worker() -> None:
        nonlocal errors, hits
        while time.perf_counter() < deadline:
            try:
                elapsed, status, hit = await one_request(port, path)
            except OSError:
                errors += 1
                continue
            if status != 200:
                errors += 1
            latencies.append(elapsed)
            hits += hit

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
    wall = time.perf_counter() - started
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "rps": len(latencies) / wall,
        "p50_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": ordered[int(len(ordered) * 0.99) - 1] * 1000 if ordered else 0.0,
        "errors": errors,
        "hit_share": hits / len(latencies) if latencies else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per page and run")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument(
        "--config", default="sync:2", help="gunicorn: sync:WORKERS or gthread:WORKERSxTHREADS"
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="yunghap-portal-bench-"))
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = bench_env(database_url)
    env["MEDIA_ROOT"] = str(workdir / "media")
    build_database(env, database_url.startswith("sqlite"))
    port = free_port()
    server = start_server(env, port, args.config)
    try:
        asyncio.run(load(port, "/", 2.0))  # warm the workers and their caches
        results: dict[str, list[dict[str, float]]] = {"/": [], "/bench/bare/": []}
        for _run in range(args.runs):
            for path in results:
                results[path].append(asyncio.run(load(port, path, args.duration)))
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(
        f"portal home under load: {CONNECTIONS} connections, gunicorn {args.config}, {database_url.split(':')[0]}"
    )
    medians = {}
    for path, runs in results.items():
        rps = statistics.median(r["rps"] for r in runs)
        p50 = statistics.median(r["p50_ms"] for r in runs)
        p99 = statistics.median(r["p99_ms"] for r in runs)
        errors = sum(int(r["errors"]) for r in runs)
        hits = statistics.median(r["hit_share"] for r in runs)
        medians[path] = rps
        print(
            f"  {path:14} {rps:8.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms   errors {errors}   cache hits {hits:.0%}"
        )
    print(f"  home / bare: {medians['/'] / medians['/bench/bare/']:.2f}")


if __name__ == "__main__":
    main()
