"""Time the statistics at national scale on PostgreSQL: survey report, trend page, full XLSX export.

    .venv/bin/python bench/stats_scale.py [--database-url postgres://postgres@127.0.0.1:5432/yh_scale]
                                          [--runs 20] [--answers 0.7] [--skip-refresh]

Expects the network and ledger built by `bench/ledger_scale.py` (2,740 groups, ~57,000 firms, ~6 million
attendance rows). It opens last year's survey and answers it for a share of the groups from the ledger
(with noise), rebuilds the materialised monthly figures (`insights.GroupMonth`, timed), then times with
Django's test client (server time: view + queries + template, DEBUG off):

* `survey_report()` alone (the aggregate query of the plan's table),
* the survey page (reported + observed + disagreements + chart + data tables),
* the trend page (ten years, monthly: every series, six charts with their data tables) and with the
  industry filter,
* the full XLSX export of every trend series (monthly and yearly sheets) and of the survey table.

Prints p50 / p95 in milliseconds and the query count of each page.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_scale"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def timed(label: str, runs: int, call) -> None:
    call()  # warm-up: connection, template loading, plan cache
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<46} p50 {statistics.median(samples):8.1f} ms   p95 {percentile(samples, 0.95):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--answers", type=float, default=0.7, help="share of groups answering the survey")
    parser.add_argument("--skip-refresh", action="store_true", help="keep the existing monthly figures")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunghap.settings")
    os.environ["DJANGO_DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from yunghap.accounts.models import Role, RoleGrant, User
    from yunghap.insights.figures import refresh_group_months
    from yunghap.insights.models import GroupMonth
    from yunghap.insights.selectors import survey_report
    from yunghap.network.models import ExchangeGroup
    from yunghap.surveys.models import Survey, SurveyResponse
    from yunghap.surveys.selectors import ledger_year_figures

    call_command("migrate", verbosity=0)
    groups = ExchangeGroup.objects.count()
    if groups < 1000:
        print(f"only {groups} groups in {args.database_url}: run bench/ledger_scale.py first")
        sys.exit(1)
    year = timezone.localdate().year - 1
    print(f"database {args.database_url}: {groups:,} groups; survey year {year}")

    survey, _ = Survey.objects.get_or_create(
        year=year, defaults={"opened_on": timezone.localdate(), "status": Survey.Status.CLOSED}
    )
    rng = random.Random(7)
    ids = sorted(ExchangeGroup.objects.values_list("id", flat=True))
    answering = sorted(rng.sample(ids, int(len(ids) * args.answers)))
    started = time.perf_counter()
    figures = ledger_year_figures(year, answering)
    print(
        f"ledger figures of {len(answering):,} groups for the answers: {time.perf_counter() - started:.1f} s"
    )
    SurveyResponse.objects.filter(survey=survey).delete()
    SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                survey=survey,
                group_id=gid,
                status=SurveyResponse.Status.SUBMITTED,
                source=SurveyResponse.Source.IMPORT,
                members=f["members"],
                meetings=max(0, f["meetings"] + rng.choice([0, 0, 0, 1, -1, 4])),
                attendance_rate=f["attendance_rate"] if f["attendance_rate"] is not None else Decimal("75.0"),
                purpose_info=rng.random() < 0.84,
                purpose_resource=rng.random() < 0.31,
                purpose_newproduct=rng.random() < 0.24,
                rnd_results=f["rnd_results"] + (1 if rng.random() < 0.05 else 0),
                trades_count=f["trades_count"],
                trades_amount_krw=f["trades_amount_krw"],
            )
            for gid, f in figures.items()
        ],
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_surveyresponse")

    if not args.skip_refresh or not GroupMonth.objects.exists():
        started = time.perf_counter()
        rows = refresh_group_months()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE insights_groupmonth")
        print(f"full rebuild of the monthly figures: {rows:,} rows in {time.perf_counter() - started:.1f} s")
    print(f"monthly figure rows: {GroupMonth.objects.count():,}")

    user, _ = User.objects.get_or_create(username="bench_central")
    RoleGrant.objects.get_or_create(user=user, role=Role.CENTRAL_STAFF)
    client = Client()
    client.force_login(user)

    def page(url: str):
        def call():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if hasattr(response, "render"):
                response.content  # noqa: B018  (make sure the body is rendered)
            return response

        return call

    this_year = timezone.localdate().year
    pages = [
        ("survey page", f"/statistics/survey/?year={year}"),
        ("survey page, one region", f"/statistics/survey/?year={year}&region=seoul"),
        ("trend page, 10 years monthly", f"/statistics/?from={this_year - 9}&to={this_year}"),
        ("trend page, yearly, region + type", "/statistics/?period=yearly&region=gyeonggi&type=info"),
        ("trend page, industry filter", f"/statistics/?industry=26&from={this_year - 9}&to={this_year}"),
        ("XLSX export, every trend series", f"/statistics/?from={this_year - 9}&to={this_year}&format=xlsx"),
        ("XLSX export, survey table", f"/statistics/survey/?year={year}&format=xlsx"),
        ("printable report (year, region)", f"/statistics/report/?year={year}&region=seoul"),
    ]
    print()
    timed("survey_report() (aggregate query)", args.runs, lambda: survey_report(year))
    for label, url in pages:
        timed(label, args.runs, page(url))
    print()
    for label, url in pages:
        with CaptureQueriesContext(connection) as queries:
            page(url)()
        print(f"{label:<46} {len(queries):3d} queries")


if __name__ == "__main__":
    main()
