"""HTTP load on the demo network: group list, group page and firm list against a bare one-query page.

    .venv/bin/python bench/http_load.py                  # fresh SQLite, gunicorn sync 2 workers + gthread
    .venv/bin/python bench/http_load.py --duration 5 --runs 1 --configs sync:2
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_bench .venv/bin/python bench/http_load.py
    .venv/bin/python bench/http_load.py --profile        # also cProfile each page in-process

What it does: builds a fresh database (`migrate` + `demo`; a PostgreSQL database named by DATABASE_URL is
reset with `demo --reset --yes`), starts gunicorn with DEBUG off and bench.bench_settings (the project's
settings plus the bare page at /bench/bare/), logs in through the real login form (CSRF token, POST),
then runs `wrk` with 20 connections against each page, several runs of ~10 s each, pages interleaved so
that they share the machine's load alike. It prints requests/s, p50 and p99 (medians over the runs), the
ratio to the bare page, and each page's query count measured in-process with the test client.
Server and load generator share this machine's cores: compare the ratios, not the absolute figures.
"""

from __future__ import annotations

import argparse
import cProfile
import http.cookiejar
import io
import os
import pstats
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CONNECTIONS = 20


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        YUNGHAP_ENV="development",
        DJANGO_DEBUG="0",
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SETTINGS_MODULE="bench.bench_settings",
        DATABASE_URL=database_url,
        # The load logs in as regional staff with a password alone: the second factor is not what is measured.
        OTP_REQUIRED_FOR_STAFF="0",
        PYTHONPATH=os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        LOG_LEVEL="ERROR",
    )
    return env


def build_database(env: dict[str, str], sqlite: bool, network_only: bool) -> float:
    started = time.perf_counter()
    subprocess.run([str(VENV_BIN / "yunghap"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    demo = [str(VENV_BIN / "yunghap"), "demo"] + ([] if sqlite else ["--reset", "--yes"])
    demo += ["--network-only"] if network_only else []
    subprocess.run(demo, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def start_server(env: dict[str, str], port: int, config: str) -> subprocess.Popen:
    kind, _, rest = config.partition(":")
    workers, _, threads = rest.partition("x")
    command = [
        str(VENV_BIN / "gunicorn"),
        "yunghap.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        workers or "2",
        "--worker-class",
        kind,
        "--log-level",
        "warning",
    ]
    if kind == "gthread":
        command += ["--threads", threads or "4"]
    server = subprocess.Popen(command, env=env, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def login(base: str, username: str, password: str) -> str:
    """A real login: GET the form for its CSRF token, POST it; returns the Cookie header to replay."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/").read().decode()
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not match:
        raise SystemExit("no CSRF token on the login page")
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": match.group(1), "username": username, "password": password}
    ).encode()
    request = urllib.request.Request(  # noqa: S310  (our own http:// server)
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"login as {username} failed")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def status_of(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(request) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def run_wrk(url: str, header: str, duration: int) -> dict[str, float]:
    """wrk against `url` with one request header (a session cookie, a Bearer token): requests/s, p50/p99."""
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--timeout",
            "30s",
            "--latency",
            "-H",
            header,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(_search(r"Requests/sec:\s+([\d.]+)", out))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    latency = {p: _ms(_search(rf"(?m)^\s+{p}%\s+(\S+)", out)) for p in ("50", "99")}
    return {
        "rps": rps,
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": int(errors.group(1)) if errors else 0,
    }


def _search(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise SystemExit(f"unexpected wrk output:\n{text}")
    return match.group(1)


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def in_process_counts(pages: dict[str, str], username: str, profile: bool) -> dict[str, str]:
    """Query count of each page through the test client: "cold/warm" when a page cache answers repeats.

    The first request sets cookies and warms process caches; the second, after clearing the cache, is the
    page as built from the database (the count to pin), the third what a repeat visit costs.
    """
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from yunghap.accounts.models import User

    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    counts = {}
    for name, path in pages.items():
        client.get(path)
        seen = []
        for attempt in range(2):
            if attempt == 0:
                caches["default"].clear()  # the first count is the page built from the database
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            seen.append(len(queries))
        if response.status_code != 200:
            counts[name] = f"HTTP {response.status_code}"
        else:
            counts[name] = str(seen[0]) if seen[0] == seen[1] else f"{seen[0]}/{seen[1]}"
        if profile and response.status_code == 200:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(20):
                client.get(path)
            profiler.disable()
            buffer = io.StringIO()
            pstats.Stats(profiler, stream=buffer).sort_stats("cumulative").print_stats(25)
            print(f"\n--- cProfile: {name} {path} (20 requests) ---")
            print(buffer.getvalue()[:6000])
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--runs", type=int, default=3, help="runs per page (the median is reported)")
    parser.add_argument(
        "--configs",
        default="sync:2,gthread:2x4",
        help="gunicorn set-ups, comma-separated: sync:WORKERS or gthread:WORKERSxTHREADS",
    )
    parser.add_argument("--user", default="seoul", help="demo login to measure with (seoul, central, …)")
    parser.add_argument("--profile", action="store_true", help="cProfile each page in-process")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite database directory")
    parser.add_argument("--network-only", action="store_true", help="demo network only, no other apps' data")
    parser.add_argument(
        "--programmes",
        action="store_true",
        help="measure the programmes' pages (a call, an application, a review) instead of the registry's",
    )
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE_OR_URL",
        help="measure an already built demo database (a SQLite file or a postgres:// URL); nothing is rebuilt",
    )
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install -y wrk")

    workdir = Path(tempfile.mkdtemp(prefix="yunghap-bench-"))
    try:
        run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def programme_pages() -> dict[str, str]:
    """The demo call's page and its application with the most members (the heaviest application page)."""
    from django.db.models import Count

    from yunghap.programmes.models import Application

    application = (
        Application.objects.filter(status=Application.Status.SUBMITTED)
        .annotate(members=Count("consortium__members"))
        .order_by("-members", "ref")
        .select_related("call")
        .first()
    )
    if application is None:
        raise SystemExit("the demo has no submitted application")
    return {
        "call page": f"/programmes/calls/{application.call.code}/",
        "application page": f"/programmes/applications/{application.pk}/",
    }


def run(args: argparse.Namespace, workdir: Path) -> None:
    if args.reuse and "://" in args.reuse:
        database_url = args.reuse
    elif args.reuse:
        database_url = f"sqlite:///{Path(args.reuse).resolve()}"
    else:
        database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    sqlite = database_url.startswith("sqlite")
    env = bench_env(database_url)
    build_seconds = 0.0 if args.reuse else build_database(env, sqlite, args.network_only)
    os.environ.update({k: v for k, v in env.items() if k != "PYTHONPATH"})
    sys.path.insert(0, str(ROOT))

    import django

    django.setup()
    from django.conf import settings

    from yunghap.accounts.models import User
    from yunghap.network.demo import DEMO_PASSWORD
    from yunghap.network.models import ExchangeGroup, Membership

    region_groups = ExchangeGroup.objects.visible_to(User.objects.get(username=args.user)).exclude(
        status="dissolved"
    )
    # A group of typical size: the median of the visible groups by current member count.
    sizes = sorted(
        (Membership.objects.current().filter(group=g).count(), g.code)
        for g in region_groups.order_by("code")[:60]
    )
    group_code = sizes[len(sizes) // 2][1]
    pages = {
        "bare page (1 query)": "/bench/bare/",
        "group list": "/groups/",
        "group page": f"/groups/{group_code}/",
        "firm list": "/firms/",
    }
    if args.programmes:
        pages = {"bare page (1 query)": "/bench/bare/", **programme_pages()}
    counts = in_process_counts(pages, args.user, args.profile)

    import gunicorn

    print("\nqueries: per request from the database; a/b = first build / repeat answered by a page cache")
    print(
        f"HTTP load: {CONNECTIONS} connections, wrk 2 threads, {args.runs} × {args.duration} s per page (median)"
    )
    print(
        f"database {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]} (built in {build_seconds:.1f} s"
        f"{', network only' if args.network_only else ''}), "
        f"gunicorn {gunicorn.__version__}, user {args.user}, DEBUG {settings.DEBUG}, {os.cpu_count()} CPUs"
    )
    for config in args.configs.split(","):
        port = free_port()
        server = start_server(env, port, config)
        try:
            base = f"http://127.0.0.1:{port}"
            cookie = login(base, args.user, DEMO_PASSWORD)
            statuses = {name: status_of(base + path, cookie) for name, path in pages.items()}
            results: dict[str, list[dict[str, float]]] = {name: [] for name in pages}
            for _run in range(args.runs):
                for name, path in pages.items():
                    if statuses[name] == 200:
                        results[name].append(run_wrk(base + path, f"Cookie: {cookie}", args.duration))
        finally:
            server.terminate()
            server.wait(timeout=30)
        print(f"\n[{config}]")
        print(
            f"{'page':<22} {'path':<26} {'queries':>8} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷ bare':>7}"
        )
        bare = (
            statistics.median(r["rps"] for r in results["bare page (1 query)"])
            if results["bare page (1 query)"]
            else 0
        )
        for name, path in pages.items():
            runs = results[name]
            if not runs:
                print(f"{name:<22} {path:<26} {counts[name]:>8} HTTP {statuses[name]}")
                continue
            rps = statistics.median(r["rps"] for r in runs)
            errors = sum(r["errors"] for r in runs)
            print(
                f"{name:<22} {path:<26} {counts[name]:>8} {rps:>8.0f} "
                f"{statistics.median(r['p50'] for r in runs):>8.1f} {statistics.median(r['p99'] for r in runs):>8.1f} "
                f"{(rps / bare if bare else 0):>7.2f}" + (f"  ({errors} non-2xx)" if errors else "")
            )
    if args.keep or args.reuse or not sqlite:
        print(f"\ndatabase kept: {database_url}")


if __name__ == "__main__":
    main()
