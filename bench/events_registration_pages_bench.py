"""Sign-ups through the real registration page under load (issue 11, measurements): 50 people at once.

    .venv/bin/python bench/events_registration_pages_bench.py [--people 50] [--capacity 20] [--workers 2x4] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_events_pages_bench .venv/bin/python bench/events_registration_pages_bench.py

Runs on a throwaway PostgreSQL database (default `yh_events_pages_bench`, dropped at the end unless --keep):
migrates, makes one event open today with --capacity seats and --people users, starts gunicorn (gthread,
`--workers W x threads T`, DEBUG off) and logs every user in through the login form. Then one thread per
user, released together, does what a browser does: GET /events/<code>/register/ for the form (its CSRF and
one-time tokens), POST it, and takes the redirect's status (not following it). Prints HTTP requests/s,
sign-ups/s, the median and p99 of one sign-up (GET + POST) and of the POST alone, then checks the outcome:
every user registered once, the first --capacity confirmed, positions 1…N without a gap.
Server and load share this machine's cores (and the database server's): read the figures with the load.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.http_load import bench_env, free_port, start_server  # noqa: E402
from bench.throwaway import run_on_throwaway  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_events_pages_bench"
PASSWORD = "bench-pages-2026!"  # noqa: S105  (throwaway accounts of a throwaway database)
EVENT = "bench-pages"
TOKEN = re.compile(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"')


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def opener_for(jar: http.cookiejar.CookieJar) -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def status(opener: urllib.request.OpenerDirector, request: urllib.request.Request | str) -> tuple[int, str]:
    try:
        with opener.open(request) as response:  # noqa: S310  (our own http:// server)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace")


def log_in(base: str, username: str) -> urllib.request.OpenerDirector:
    jar = http.cookiejar.CookieJar()
    opener = opener_for(jar)
    _code, page = status(opener, f"{base}/accounts/login/")
    csrf = dict(TOKEN.findall(page))["csrfmiddlewaretoken"]
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "username": username, "password": PASSWORD})
    request = urllib.request.Request(f"{base}/accounts/login/", data=data.encode())  # noqa: S310
    code, _page = status(opener, request)
    if code != 302 or "sessionid" not in {c.name for c in jar}:
        raise SystemExit(f"login as {username} failed ({code})")
    return opener


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)] if ordered else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--capacity", type=int, default=20)
    parser.add_argument("--workers", default="2x4", help="gunicorn gthread workers x threads")
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    run_on_throwaway(args, DEFAULT_URL, run)


def run(args: Any, url: str) -> None:
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    from yunghap.accounts.models import User
    from yunghap.events.models import Event, EventSession, Registration

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    today = timezone.localdate()
    event = Event.objects.create(
        code=EVENT,
        title="부하 측정 세미나(신청 화면)",
        kind=Event.Kind.SEMINAR,
        capacity=args.capacity,
        registration_opens=today,
        registration_closes=today,
    )
    start = timezone.now() + timezone.timedelta(days=14)
    EventSession.objects.create(
        event=event, starts_at=start, ends_at=start + timezone.timedelta(hours=3), place="벤치 세미나실"
    )
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(
        User(username=f"bench{i:03d}", email=f"bench{i:03d}@bench.example", password=hashed)
        for i in range(args.people)
    )
    connections.close_all()

    env = bench_env(url)
    env["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"  # mails are not the measure
    port = free_port()
    workers, _x, threads = args.workers.partition("x")
    server = start_server(env, port, f"gthread:{workers}x{threads or '4'}")
    base = f"http://127.0.0.1:{port}"
    try:
        openers = [log_in(base, f"bench{i:03d}") for i in range(args.people)]
        print(f"{args.people} users logged in; gunicorn gthread {workers} x {threads or '4'} on port {port}")
        results: list[tuple[float, float, int]] = []
        failures: list[str] = []
        lock = threading.Lock()
        barrier = threading.Barrier(args.people + 1)
        form_url = f"{base}/events/{EVENT}/register/"

        def sign_up(i: int, opener: urllib.request.OpenerDirector) -> None:
            barrier.wait()
            begun = time.perf_counter()
            code, page = status(opener, form_url)
            tokens = dict(TOKEN.findall(page))
            if code != 200 or "form_token" not in tokens:
                with lock:
                    failures.append(f"GET {code}")
                return
            data = urllib.parse.urlencode(
                {
                    "csrfmiddlewaretoken": tokens["csrfmiddlewaretoken"],
                    "form_token": tokens["form_token"],
                    "name": f"참가자{i:03d}",
                    "email": f"bench{i:03d}@bench.example",
                }
            ).encode()
            posted = time.perf_counter()
            request = urllib.request.Request(form_url, data=data, headers={"Referer": form_url})  # noqa: S310
            code, _page = status(opener, request)
            done = time.perf_counter()
            with lock:
                if code == 302:
                    results.append((done - begun, done - posted, code))
                else:
                    failures.append(f"POST {code}")

        workers_threads = [threading.Thread(target=sign_up, args=(i, o)) for i, o in enumerate(openers)]
        for thread in workers_threads:
            thread.start()
        load = os.getloadavg()[0]
        barrier.wait()
        started = time.perf_counter()
        for thread in workers_threads:
            thread.join()
        elapsed = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    whole = [r[0] for r in results]
    posts = [r[1] for r in results]
    print(f"load average {load:.1f} on {os.cpu_count()} cores")
    print(
        f"{len(results)} sign-ups ({2 * len(results)} requests) in {elapsed:.2f} s: "
        f"{2 * len(results) / elapsed:.1f} requests/s, {len(results) / elapsed:.1f} sign-ups/s"
    )
    if whole:
        print(
            f"sign-up (GET form + POST): median {statistics.median(whole) * 1000:.0f} ms, "
            f"p99 {percentile(whole, 0.99) * 1000:.0f} ms; POST alone: median "
            f"{statistics.median(posts) * 1000:.0f} ms, p99 {percentile(posts, 0.99) * 1000:.0f} ms"
        )
    print(f"failures: {len(failures)} {sorted(set(failures))}")
    rows = list(
        Registration.objects.filter(event=event)
        .order_by("queue_position")
        .values_list("status", "queue_position")
    )
    confirmed = [s for s, _p in rows].count(Registration.Status.CONFIRMED)
    ok = (
        len(rows) == args.people
        and confirmed == min(args.capacity, args.people)
        and [p for _s, p in rows] == list(range(1, args.people + 1))
        and all(s == Registration.Status.CONFIRMED for s, _p in rows[:confirmed])
    )
    print(f"outcome: {len(rows)} registrations, {confirmed} confirmed, in order without gaps: {ok}")
    connections.close_all()


if __name__ == "__main__":
    main()
