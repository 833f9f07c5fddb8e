"""Time the funnel (plan item 8) at national scale on PostgreSQL (issue 10, measurements).

    .venv/bin/python bench/funnel_bench.py [--introductions 9000] [--consortia 1200] [--runs 15] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_funnel_bench .venv/bin/python bench/funnel_bench.py

Runs on a throwaway database of its own (named yh_…bench…, dropped and created anew, dropped at the end
unless --keep). It builds the demo network (13 regions, 274 groups, 5,684 firms, ~20,600 membership periods),
then over three years: N introductions between member firms (half with a need posting tagged with a growth
engine), calls opening each year with M consortia in all (lead + two partners, ~85 % submitted, a topic of
one of the 17 growth engines), a selection of ~40 % of the submitted, agreements for them (about two thirds
ended or settled) and ~1.5 ledger results per completed agreement. It prints medians over --runs of:

* `funnel_breakdown(year, "region" | "engine")`,
* `funnel_figures(year)` for the country, one region, and one growth engine (wall and CPU) and its queries,
* the page `programmes:funnel` through the test client as central staff (DEBUG off), and its queries,
* `yunghap report funnel --year … --format xlsx`.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from bench.throwaway import median_ms, run_on_throwaway  # noqa: E402

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_funnel_bench"
YEARS = (2023, 2024, 2025)


def build(n_introductions: int, n_consortia: int, rng: random.Random) -> dict[str, int]:
    from django.utils import timezone

    from yunghap.activities.models import Outcome
    from yunghap.introductions.models import Introduction
    from yunghap.matching.models import Posting
    from yunghap.network.demo import generate_network, write_network
    from yunghap.network.models import Membership
    from yunghap.programmes.models import (
        Agreement,
        Application,
        Call,
        Consortium,
        ConsortiumMember,
        GrowthEngine,
        SelectionDecision,
        SelectionResult,
        Topic,
    )

    write_network(generate_network())
    members = list(Membership.objects.filter(left_on__isnull=True).values_list("group_id", "firm_id"))
    by_group: dict[int, list[int]] = {}
    for group_id, firm_id in members:
        by_group.setdefault(group_id, []).append(firm_id)
    groups = [g for g, firms in by_group.items() if len(firms) >= 3]
    engines = list(GrowthEngine.objects.all())
    zone = timezone.get_current_timezone()

    # Introductions: half on a need posting tagged with a growth engine.
    needs = Posting.objects.bulk_create(
        [
            Posting(
                firm_id=rng.choice(by_group[rng.choice(groups)]),
                kind=Posting.Kind.NEED,
                title=f"벤치 수요 {i}",
                description="센서 하우징 금형 협력사를 찾습니다.",
                expires_on=datetime.date(2030, 1, 1),
                review_status=Posting.ReviewStatus.APPROVED,
            )
            for i in range(n_introductions // 20)
        ],
        batch_size=2000,
    )
    Through = Posting.growth_engines.through
    Through.objects.bulk_create(
        [Through(posting_id=p.pk, growthengine_id=rng.choice(engines).pk) for p in needs], batch_size=2000
    )
    introductions = []
    for i in range(n_introductions):
        firms = by_group[rng.choice(groups)]
        seeker, partner = rng.sample(firms, 2)
        year = rng.choice(YEARS)
        sent = datetime.datetime(year, 1, 1, 9, tzinfo=zone) + datetime.timedelta(
            minutes=rng.randrange(525_000)
        )
        introductions.append(
            Introduction(
                seeker_id=seeker,
                partner_id=partner,
                need=rng.choice(needs) if i % 2 else None,
                state="accepted",
                sent_at=sent,
                respond_by=(sent + datetime.timedelta(days=14)).date(),
            )
        )
    Introduction.objects.bulk_create(introductions, batch_size=2000)

    topics = Topic.objects.bulk_create(
        [
            Topic(
                code=f"bench-t{i}", title=f"벤치 과제 {i}", growth_engine=e, summary="벤치", status="leading"
            )
            for i, e in enumerate(engines)
        ]
    )
    calls = [
        Call.objects.create(
            code=f"bench-{year}",
            title=f"{year}년 벤치 공모",
            opens_on=datetime.date(year, 3, 1),
            closes_on=datetime.date(year, 3, 31),
            published_at=datetime.datetime(year, 2, 1, tzinfo=zone),
        )
        for year in YEARS
    ]
    consortia, places, applications = [], [], []
    for i in range(n_consortia):
        call = calls[i % len(calls)]
        firms = rng.sample(by_group[rng.choice(groups)], 3)
        consortia.append(Consortium(call=call, lead_id=firms[0], name=f"벤치 협력체 {i}"))
    consortia = Consortium.objects.bulk_create(consortia, batch_size=2000)
    for i, consortium in enumerate(consortia):
        lead = consortium.lead_id
        others = rng.sample([f for f in by_group[rng.choice(groups)] if f != lead], 2)
        places.append(ConsortiumMember(consortium=consortium, firm_id=lead, role="lead", state="accepted"))
        places += [ConsortiumMember(consortium=consortium, firm_id=f, state="accepted") for f in others]
        submitted = rng.random() < 0.85
        applications.append(
            Application(
                call=consortium.call,
                consortium=consortium,
                ref=f"{consortium.call.code}-{i:05d}",
                title=f"벤치 융합 과제 {i}",
                topic=rng.choice(topics),
                government_krw=15_000_000,
                firm_cash_krw=2_000_000,
                firm_inkind_krw=3_000_000,
                status="submitted" if submitted else "draft",
                eligibility="eligible" if submitted else "",
                submitted_at=datetime.datetime(consortium.call.opens_on.year, 3, 20, tzinfo=zone)
                if submitted
                else None,
            )
        )
    ConsortiumMember.objects.bulk_create(places, batch_size=2000)
    applications = Application.objects.bulk_create(applications, batch_size=2000)
    decisions = {
        call.pk: SelectionDecision.objects.create(
            call=call,
            decided_at=datetime.datetime(call.opens_on.year, 4, 30, tzinfo=zone),
            rules_revision=1,
            rules={},
            government_total_krw=0,
            proposal={},
        )
        for call in calls
    }
    results, agreements = [], []
    for app in applications:
        if app.status != "submitted":
            continue
        selected = rng.random() < 0.4
        result = SelectionResult(
            decision=decisions[app.call_id],
            application=app,
            outcome="selected" if selected else "not_selected",
            government_krw=app.government_krw,
        )
        results.append(result)
    results = SelectionResult.objects.bulk_create(results, batch_size=2000)
    for result in results:
        if result.outcome != "selected":
            continue
        year = result.application.call.opens_on.year
        status = rng.choice(["active", "ended", "settled"])
        agreements.append(
            Agreement(
                result=result,
                application=result.application,
                starts_on=datetime.date(year, 5, 1),
                ends_on=datetime.date(year, 12, 31),
                status=status,
                government_krw=15_000_000,
                firm_cash_krw=2_000_000,
                firm_inkind_krw=3_000_000,
                grade=rng.choice(["excellent", "fair", "poor"]) if status == "settled" else "",
            )
        )
    agreements = Agreement.objects.bulk_create(agreements, batch_size=2000)
    lead_group = {firm_id: group_id for group_id, firm_id in members}
    outcomes = []
    for agreement in agreements:
        if agreement.status == "active":
            continue
        for k in range(rng.choice([1, 1, 2, 2, 3, 0])):
            outcomes.append(
                Outcome(
                    group_id=lead_group[agreement.application.consortium.lead_id],
                    kind="patent",
                    title=f"벤치 성과 {agreement.pk}-{k}",
                    achieved_on=agreement.ends_on,
                    agreement=agreement,
                )
            )
    Outcome.objects.bulk_create(outcomes, batch_size=2000)
    return {
        "introductions": len(introductions),
        "consortia": len(consortia),
        "applications": sum(1 for a in applications if a.status == "submitted"),
        "selected": len(agreements),
        "completed": sum(1 for a in agreements if a.status != "active"),
        "results": len(outcomes),
    }


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--introductions", type=int, default=9000)
    parser.add_argument("--consortia", type=int, default=1200)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    run_on_throwaway(args, DEFAULT_URL, run)


def run(args: Any, url: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings
    from django.urls import reverse

    from yunghap.accounts.models import Role, RoleGrant, User
    from yunghap.programmes.funnel import funnel_breakdown, funnel_figures

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    built = build(args.introductions, args.consortia, random.Random(args.seed))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"built in {time.perf_counter() - started:.1f} s: "
        + ", ".join(f"{k} {v:,}" for k, v in built.items())
    )
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    year = YEARS[-1]
    for by in ("region", "engine"):
        with CaptureQueriesContext(connection) as queries:
            funnel_breakdown(year, by)
        median, worst, cpu = median_ms(args.runs, lambda by=by: funnel_breakdown(year, by))
        print(
            f"funnel_breakdown({year}, {by}): median {median:.1f} ms (max {worst:.1f}, CPU {cpu:.1f}), {len(queries)} queries"
        )
    for label, kwargs in (
        ("national", {}),
        ("region seoul", {"region": "seoul"}),
        ("engine NGE09-09", {"engine": "NGE09-09"}),
    ):
        with CaptureQueriesContext(connection) as queries:
            figures = funnel_figures(year, **kwargs)
        median, worst, cpu = median_ms(args.runs, lambda kwargs=kwargs: funnel_figures(year, **kwargs))
        counts = " → ".join(str(s["count"]) for s in figures["steps"])
        print(
            f"funnel_figures({year}, {label}): median {median:.1f} ms (max {worst:.1f}, CPU {cpu:.1f}), "
            f"{len(queries)} queries; {counts}"
        )

    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, reset_queries

    # As in Django's tests: a request must not close the connection whose queries are being counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    user = User.objects.create_user(username="bench-central", password="unused-bench-pw-2026!")
    RoleGrant.objects.create(user=user, role=Role.CENTRAL_STAFF)
    with override_settings(ALLOWED_HOSTS=["testserver"], OTP_REQUIRED_FOR_STAFF=False, DEBUG=False):
        client = Client()
        client.force_login(user)
        page = reverse("programmes:funnel")
        queries: list[str] = []

        def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            response = client.get(page, {"year": year})
        assert response.status_code == 200, response.status_code
        median, worst, cpu = median_ms(args.runs, lambda: client.get(page, {"year": year}))
        print(
            f"page {page}?year={year}: median {median:.1f} ms (max {worst:.1f}, CPU {cpu:.1f}), {len(queries)} queries"
        )
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "funnel.xlsx"

        def report() -> None:
            call_command(
                "report",
                "funnel",
                "--year",
                str(year),
                "--format",
                "xlsx",
                "--output",
                str(target),
                stderr=io.StringIO(),
            )

        median, worst, cpu = median_ms(max(3, args.runs // 3), report)
        print(f"yunghap report funnel --year {year} --format xlsx: median {median:.1f} ms (max {worst:.1f})")


if __name__ == "__main__":
    main()
