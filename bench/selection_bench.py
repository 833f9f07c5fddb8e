"""Time the selection of a call with 5,000 applications and 25,000 reviews (issue 9, measurements).

    .venv/bin/python bench/selection_bench.py [--applications 5000] [--reviews-per 5] [--runs 15] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_selection_bench .venv/bin/python bench/selection_bench.py

Runs on a throwaway database of its own, never the dev database: the PostgreSQL database named in
DATABASE_URL (default `yh_selection_bench`; the name must start with `yh_` and contain `bench`), dropped and
created anew, and dropped at the end unless --keep. It builds one closed call (the plan's rules: 1 billion
KRW, quota 50, five reviews per application, pass score 70) with N submitted applications (about 4 % of them
ineligible, 2 % one review short, 2 % with six), N × 5 reviews by 200 reviewers, plus drafts and withdrawn applications the
selection must ignore (bulk inserts), then prints medians over --runs of:

* `select()` alone on rows already read (the pure rule),
* `propose(call)` (read the rows in two queries + the rule),
* `yunghap select --call CODE --format json` (the command: propose + the JSON),
* and once, `yunghap select --commit` (the record: decision + N results), with its query count.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.throwaway import median_ms, run_on_throwaway  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_selection_bench"
REVIEWERS = 200


def brn(seq: int) -> str:
    from yunghap.core.validators import brn_is_valid

    base = f"{300 + seq // 1_000_000:03d}{(seq // 10_000) % 100:02d}{seq % 10_000:04d}"
    for check in range(10):
        if brn_is_valid(base + str(check)):
            return base + str(check)
    raise AssertionError(base)


def build(n: int, reviews_per: int, rng: random.Random) -> Any:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from yunghap.network.models import Federation, Firm, Industry
    from yunghap.programmes.models import (
        Application,
        Call,
        Consortium,
        ConsortiumMember,
        Review,
        ReviewAssignment,
        Reviewer,
    )

    today = timezone.localdate()
    now = timezone.now()
    call = Call.objects.create(
        code="c-bench",
        title="벤치마크 공모",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
        published_at=now - datetime.timedelta(days=61),
    )
    federation = Federation.objects.order_by("id").first()
    industry = Industry.objects.filter(code="26").first() or Industry.objects.order_by("id").first()
    extra = n // 20  # drafts and withdrawn: read past, never selected
    total = n + extra
    firms = Firm.objects.bulk_create(
        [
            Firm(brn=brn(i + 1), name=f"벤치기업{i + 1}", federation=federation, industry=industry)
            for i in range(total)
        ],
        batch_size=2000,
    )
    consortia = Consortium.objects.bulk_create(
        [Consortium(call=call, lead=firm, name=f"{firm.name} 협력체") for firm in firms], batch_size=2000
    )
    ConsortiumMember.objects.bulk_create(
        [
            ConsortiumMember(
                consortium=c,
                firm=c.lead,
                role=ConsortiumMember.Role.LEAD,
                state=ConsortiumMember.State.ACCEPTED,
            )
            for c in consortia
        ],
        batch_size=2000,
    )
    applications = []
    for i, consortium in enumerate(consortia):
        submitted = i < n
        ineligible = submitted and rng.random() < 0.04
        government = rng.choice([10_000_000, 12_000_000, 15_000_000, 18_000_000, 20_000_000])
        applications.append(
            Application(
                call=call,
                consortium=consortium,
                ref=f"c-bench-{i + 1:05d}",
                title=f"융합 과제 {i + 1}",
                government_krw=government,
                firm_cash_krw=government // 3,
                firm_inkind_krw=0,
                status=Application.Status.SUBMITTED
                if submitted
                else rng.choice([Application.Status.DRAFT, Application.Status.WITHDRAWN]),
                source=Application.Source.IMPORT,
                eligibility=(
                    Application.Eligibility.INELIGIBLE
                    if ineligible
                    else Application.Eligibility.ELIGIBLE
                    if submitted
                    else Application.Eligibility.UNCHECKED
                ),
                breaches=[{"code": "members", "params": {"count": 2, "min": 3}}] if ineligible else [],
                rules_revision=1,
                submitted_at=now - datetime.timedelta(days=40, minutes=rng.randrange(0, 20_000))
                if submitted
                else None,
            )
        )
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    User = get_user_model()
    users = User.objects.bulk_create(
        [User(username=f"bench-reviewer-{i}", name=f"평가위원{i}") for i in range(REVIEWERS)], batch_size=2000
    )
    reviewers = Reviewer.objects.bulk_create([Reviewer(user=u) for u in users], batch_size=2000)
    assignments = []
    plan = []
    # Exactly n × reviews_per reviews: 2 % of the applications are one review short (incomplete_review) and as
    # many have one more (a trimmed mean of six); the ineligible ones' reviews are stored and ignored.
    odd = rng.sample(range(n), 2 * (n // 50))
    count_of = dict.fromkeys(odd[: n // 50], reviews_per - 1) | dict.fromkeys(odd[n // 50 :], reviews_per + 1)
    for i, app in enumerate(applications[:n]):
        quality = rng.gauss(74, 9)
        for reviewer in rng.sample(reviewers, count_of.get(i, reviews_per)):
            assignments.append(
                ReviewAssignment(
                    application=app,
                    reviewer=reviewer,
                    method=ReviewAssignment.Method.IMPORT,
                    state=ReviewAssignment.State.SUBMITTED,
                    declared_at=now,
                )
            )
            plan.append(Decimal(str(round(min(100, max(0, rng.gauss(quality, 6))), 1))))
    assignments = ReviewAssignment.objects.bulk_create(assignments, batch_size=2000)
    Review.objects.bulk_create(
        [
            Review(
                assignment=a,
                application_id=a.application_id,
                reviewer_id=a.reviewer_id,
                score=score,
                comment="평가 의견",
                submitted_at=now,
            )
            for a, score in zip(assignments, plan, strict=True)
        ],
        batch_size=2000,
    )
    return call


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=5000)
    parser.add_argument("--reviews-per", type=int, default=5)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    run_on_throwaway(args, DEFAULT_URL, run)


def run(args: Any, url: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from yunghap.programmes import selection
    from yunghap.programmes.models import Application, Review, SelectionResult
    from yunghap.programmes.rules import CallRules

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call = build(args.applications, args.reviews_per, random.Random(args.seed))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    submitted = Application.objects.filter(call=call, status=Application.Status.SUBMITTED).count()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"built in {time.perf_counter() - started:.1f} s: {Application.objects.count():,} applications "
        f"({submitted:,} submitted), {Review.objects.count():,} reviews"
    )

    rules = CallRules.of(call)
    rows = selection.rows_of(call)
    with CaptureQueriesContext(connection) as queries:
        proposal = selection.propose(call)
    print(
        f"proposal: {len(proposal['selected'])} selected, {proposal['government_total_krw']:,} KRW of "
        f"{proposal['budget_krw']:,}; {len(proposal['not_selected']):,} not selected, "
        f"{len(proposal['ineligible']):,} ineligible; propose() ran {len(queries)} queries"
    )
    print()

    def command() -> None:
        call_command("select", "--call", call.code, "--format", "json", stdout=io.StringIO())

    for label, work in (
        ("select() on rows read (the pure rule)", lambda: selection.select(rows, rules, call=call.code)),
        ("propose(call) (2 queries + the rule)", lambda: selection.propose(call)),
        ("yunghap select --format json", command),
    ):
        median, worst, cpu = median_ms(args.runs, work)
        print(
            f"{label:<40} median {median:7.1f} ms  max {worst:7.1f} ms  cpu {cpu:7.1f} ms  ({args.runs} runs)"
        )

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        call_command("select", "--call", call.code, "--commit", "--format", "json", stdout=io.StringIO())
        seconds = time.perf_counter() - started
    print(
        f"{'yunghap select --commit (once)':<42} {seconds * 1000:8.1f} ms   {len(queries)} queries, "
        f"{SelectionResult.objects.count():,} results recorded"
    )


if __name__ == "__main__":
    main()
