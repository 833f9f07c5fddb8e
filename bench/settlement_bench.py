"""Time the settlement report of a call with 500 agreements and 50,000 spending rows (issue 10, measurements).

    .venv/bin/python bench/settlement_bench.py [--agreements 500] [--spending 50000] [--runs 15] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/yh_settlement_bench .venv/bin/python bench/settlement_bench.py

Runs on a throwaway PostgreSQL database of its own (the name must start with `yh_` and contain `bench`;
default `yh_settlement_bench`), dropped and created anew, and dropped at the end unless --keep. It builds
one call with N selected applications and their agreements (budget lines in three to five of the seven
cost categories, a deposit and a payment each) and M spending rows spread over them (about 5 % outside
the period, 3 % without evidence), with bulk inserts, then prints the medians over --runs of:

* `settlement_services.call_settlement_rows(call)` (the rows: aggregated by agreement and category in SQL),
* `yunghap report settlement --call CODE --format json`, and `--format xlsx`,

each with its query count.
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
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_settlement_bench"

from bench.selection_bench import brn  # noqa: E402
from bench.throwaway import median_ms, run_on_throwaway  # noqa: E402


def build(n: int, spending_rows: int, rng: random.Random) -> Any:
    from django.utils import timezone

    from yunghap.network.models import Federation, Firm, Industry
    from yunghap.programmes.models import (
        Agreement,
        AgreementBudgetLine,
        Application,
        Call,
        Consortium,
        ConsortiumMember,
        CostCategory,
        Deposit,
        GovernmentPayment,
        SelectionDecision,
        SelectionResult,
        Spending,
    )

    today = timezone.localdate()
    now = timezone.now()
    call = Call.objects.create(
        code="c-settle-bench",
        title="정산 벤치마크 공모",
        opens_on=today - datetime.timedelta(days=500),
        closes_on=today - datetime.timedelta(days=470),
        published_at=now - datetime.timedelta(days=501),
    )
    federation = Federation.objects.order_by("id").first()
    industry = Industry.objects.filter(code="26").first() or Industry.objects.order_by("id").first()
    firms = Firm.objects.bulk_create(
        [
            Firm(brn=brn(i + 1), name=f"정산기업{i + 1}", federation=federation, industry=industry)
            for i in range(n)
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
    applications = Application.objects.bulk_create(
        [
            Application(
                call=call,
                consortium=c,
                ref=f"c-settle-{i + 1:05d}",
                title=f"융합 과제 {i + 1}",
                government_krw=20_000_000,
                firm_cash_krw=4_000_000,
                firm_inkind_krw=2_666_667,
                status=Application.Status.SUBMITTED,
                source=Application.Source.IMPORT,
                eligibility=Application.Eligibility.ELIGIBLE,
                rules_revision=1,
                submitted_at=now - datetime.timedelta(days=480),
            )
            for i, c in enumerate(consortia)
        ],
        batch_size=2000,
    )
    decision = SelectionDecision.objects.create(
        call=call, decided_at=now, rules_revision=1, rules={}, government_total_krw=0, proposal={}
    )
    results = SelectionResult.objects.bulk_create(
        [
            SelectionResult(
                decision=decision,
                application=a,
                outcome=SelectionResult.Outcome.SELECTED,
                rank=i + 1,
                government_krw=a.government_krw,
            )
            for i, a in enumerate(applications)
        ],
        batch_size=2000,
    )
    starts, ends = today - datetime.timedelta(days=400), today - datetime.timedelta(days=40)
    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                result=r,
                application=a,
                starts_on=starts,
                ends_on=ends,
                government_krw=a.government_krw,
                firm_cash_krw=a.firm_cash_krw,
                firm_inkind_krw=a.firm_inkind_krw,
                status=Agreement.Status.ENDED,
            )
            for r, a in zip(results, applications, strict=True)
        ],
        batch_size=2000,
    )
    categories = list(CostCategory.objects.filter(edition=call.cost_category_edition).order_by("sort_order"))
    lines, chosen = [], {}
    for agreement in agreements:
        picked = rng.sample(categories, rng.randint(3, 5))
        chosen[agreement.pk] = picked
        g, c, k = agreement.government_krw, agreement.firm_cash_krw, agreement.firm_inkind_krw
        for index, category in enumerate(picked):
            last = index == len(picked) - 1
            share = len(picked)
            lines.append(
                AgreementBudgetLine(
                    agreement=agreement,
                    category=category,
                    government_krw=g - (g // share) * (share - 1) if last else g // share,
                    firm_cash_krw=c - (c // share) * (share - 1) if last else c // share,
                    firm_inkind_krw=k - (k // share) * (share - 1) if last else k // share,
                )
            )
    AgreementBudgetLine.objects.bulk_create(lines, batch_size=5000)
    Deposit.objects.bulk_create(
        [Deposit(agreement=a, deposited_on=starts, firm_cash_krw=a.firm_cash_krw) for a in agreements],
        batch_size=5000,
    )
    GovernmentPayment.objects.bulk_create(
        [GovernmentPayment(agreement=a, paid_on=starts, government_krw=a.government_krw) for a in agreements],
        batch_size=5000,
    )
    rows = []
    days = (ends - starts).days
    for i in range(spending_rows):
        agreement = agreements[i % n]
        roll = rng.random()
        outside, bare = roll < 0.05, 0.05 <= roll < 0.08
        rows.append(
            Spending(
                agreement=agreement,
                category=rng.choice(chosen[agreement.pk]),
                spent_on=ends + datetime.timedelta(days=3)
                if outside
                else starts + datetime.timedelta(days=rng.randint(0, days)),
                amount_krw=rng.randint(50_000, 600_000),
                payee="벤치 거래처",
                evidence="" if bare else f"세금계산서 {i}",
                ineligible_reasons=["outside_period"] if outside else ["no_evidence"] if bare else [],
            )
        )
    Spending.objects.bulk_create(rows, batch_size=5000)
    return call


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agreements", type=int, default=500)
    parser.add_argument("--spending", type=int, default=50_000)
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
    from django.test.utils import CaptureQueriesContext

    from yunghap.programmes import settlement_services
    from yunghap.programmes.models import Spending

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    call = build(args.agreements, args.spending, random.Random(args.seed))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(
        f"built in {time.perf_counter() - started:.1f} s: {args.agreements} agreements, {Spending.objects.count():,} spending rows"
    )
    with tempfile.TemporaryDirectory() as tmp:
        target = str(Path(tmp) / "settlement.xlsx")
        works = (
            ("call_settlement_rows(call)", lambda: settlement_services.call_settlement_rows(call)),
            (
                "yunghap report settlement --format json",
                lambda: call_command(
                    "report", "settlement", "--call", call.code, "--format", "json", stdout=io.StringIO()
                ),
            ),
            (
                "yunghap report settlement --format xlsx",
                lambda: call_command(
                    "report",
                    "settlement",
                    "--call",
                    call.code,
                    "--format",
                    "xlsx",
                    "--output",
                    target,
                    stderr=io.StringIO(),
                ),
            ),
        )
        for label, work in works:
            with CaptureQueriesContext(connection) as queries:
                work()
            median, worst, cpu = median_ms(args.runs, work)
            print(
                f"{label:<42} median {median:7.1f} ms  max {worst:7.1f} ms  cpu {cpu:7.1f} ms  "
                f"{len(queries)} queries  ({args.runs} runs)"
            )
    rows = settlement_services.call_settlement_rows(call)
    print(
        f"recovery total {sum(r['recovery_krw'] for r in rows):,} KRW over {sum(1 for r in rows if r['recovery_krw'])} agreements"
    )


if __name__ == "__main__":
    main()
