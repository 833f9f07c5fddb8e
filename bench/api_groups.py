"""HTTP load on the API's group list and detail against the pages they mirror and the bare one-query page.

    .venv/bin/python bench/api_groups.py                              # fresh SQLite demo network
    .venv/bin/python bench/api_groups.py --duration 5 --runs 1 --configs sync:2
    .venv/bin/python bench/api_groups.py --reuse postgres://postgres@127.0.0.1:5432/yunghap_h4

The same machinery as bench/http_load.py (gunicorn with DEBUG off and bench.bench_settings, wrk with 20
connections, pages interleaved, medians over the runs): the pages with the session of a real login, the API
with a Bearer token of the same user (created for the run, revoked after it; the per-token rate limit is
switched off for the server, as it would stop the load at 600 requests a minute). Prints requests/s, p50 and
p99, the ratio to the bare page, and each path's query count measured in-process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.http_load import (  # noqa: E402
    CONNECTIONS,
    bench_env,
    build_database,
    free_port,
    login,
    run_wrk,
    start_server,
)


def status_of(url: str, header: str) -> int:
    import urllib.error
    import urllib.request

    name, _, value = header.partition(": ")
    request = urllib.request.Request(url, headers={name: value})  # noqa: S310  (our own http:// server)
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def query_counts(paths: dict[str, tuple[str, str]], username: str, raw_token: str) -> dict[str, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yunghap.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    counts = {}
    for name, (path, kind) in paths.items():
        extra = {"HTTP_AUTHORIZATION": f"Bearer {raw_token}"} if kind == "api" else {}
        client.get(path, **extra)
        with CaptureQueriesContext(connection) as queries:
            client.get(path, **extra)
        counts[name] = len(queries)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per path (the median is reported)")
    parser.add_argument(
        "--configs", default="sync:2,gthread:2x4", help="sync:WORKERS or gthread:WxT, comma-separated"
    )
    parser.add_argument("--user", default="seoul", help="demo login to measure with")
    parser.add_argument("--reuse", metavar="SQLITE_FILE_OR_URL", help="an already built demo database")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    workdir = Path(tempfile.mkdtemp(prefix="yunghap-api-bench-"))
    try:
        run(args, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    if args.reuse and "://" in args.reuse:
        database_url = args.reuse
    elif args.reuse:
        database_url = f"sqlite:///{Path(args.reuse).resolve()}"
    else:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = bench_env(database_url)
    env["API_RATE_LIMIT_PER_MINUTE"] = "0"
    build_seconds = 0.0 if args.reuse else build_database(env, database_url.startswith("sqlite"), True)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})

    import django

    django.setup()
    from django.conf import settings

    from yunghap.accounts.models import User
    from yunghap.accounts.tokens import create_token, revoke_token
    from yunghap.network.demo import DEMO_PASSWORD
    from yunghap.network.models import ExchangeGroup

    user = User.objects.get(username=args.user)
    group = ExchangeGroup.objects.visible_to(user).exclude(status="dissolved").order_by("code").first()
    assert group is not None
    issued = create_token(user, actor=None)
    paths = {
        "bare page (1 query)": ("/bench/bare/", "page"),
        "group list page": ("/groups/", "page"),
        "GET /api/v1/groups": ("/api/v1/groups", "api"),
        "GET /api/v1/groups?limit=25": ("/api/v1/groups?limit=25", "api"),
        "group page": (f"/groups/{group.code}/", "page"),
        "GET /api/v1/groups/{code}": (f"/api/v1/groups/{group.code}", "api"),
    }
    try:
        counts = query_counts(paths, args.user, issued.raw)
        print(
            f"HTTP load: {CONNECTIONS} connections, wrk 2 threads, {args.runs} × {args.duration} s per path (median); "
            f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
            f"{f' (built in {build_seconds:.0f} s)' if build_seconds else ''}, user {args.user}, "
            f"DEBUG {settings.DEBUG}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
        )
        for config in args.configs.split(","):
            port = free_port()
            server = start_server(env, port, config)
            try:
                base = f"http://127.0.0.1:{port}"
                headers = {
                    "page": f"Cookie: {login(base, args.user, DEMO_PASSWORD)}",
                    "api": f"Authorization: Bearer {issued.raw}",
                }
                statuses = {
                    name: status_of(base + path, headers[kind]) for name, (path, kind) in paths.items()
                }
                results: dict[str, list[dict[str, float]]] = {name: [] for name in paths}
                for _run in range(args.runs):
                    for name, (path, kind) in paths.items():
                        if statuses[name] == 200:
                            results[name].append(run_wrk(base + path, headers[kind], args.duration))
            finally:
                server.terminate()
                server.wait(timeout=30)
            print(f"\n[{config}] load {os.getloadavg()[0]:.1f}")
            print(f"{'path':<30} {'queries':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ bare':>7}")
            bare_runs = results["bare page (1 query)"]
            bare = statistics.median(r["rps"] for r in bare_runs) if bare_runs else 0
            for name in paths:
                runs = results[name]
                if not runs:
                    print(f"{name:<30} {counts[name]:>7} HTTP {statuses[name]}")
                    continue
                rps = statistics.median(r["rps"] for r in runs)
                errors = sum(r["errors"] for r in runs)
                print(
                    f"{name:<30} {counts[name]:>7} {rps:>8.0f} {statistics.median(r['p50'] for r in runs):>8.1f} "
                    f"{statistics.median(r['p99'] for r in runs):>8.1f} {(rps / bare if bare else 0):>7.2f}"
                    + (f"  ({errors} non-2xx)" if errors else "")
                )
    finally:
        revoke_token(issued.token, actor=None)


if __name__ == "__main__":
    main()
