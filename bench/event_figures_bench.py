"""Education and event statistics at scale (issue 11 §7) on PostgreSQL: the nightly rebuild and the reads.

    .venv/bin/python bench/event_figures_bench.py [--events 1000] [--per-event 50] [--groups 600] [--firms 12000]
                                                  [--runs 5] [--keep]

Throwaway database `yh_event_figures_bench` (dropped unless --keep). Builds --groups exchange groups over the
regional federations (one or two exchange types each), --firms firms with 1.3 memberships each on average,
--events events ended over the last five years (a fifth national) with --per-event confirmed registrations
each (a tenth without a firm; stored hours and completion), and answers to the survey for 60 % of them.
Then times `events.statistics.refresh_event_figures` (the rebuild `yunghap refresh_statistics` runs) and the
reads of the trend page's education section (`insights.education`: national, one region, one type), and the
whole trend page through Django's test client, printing the median and worst wall time, the median CPU time
and the rows stored.
"""

from __future__ import annotations

import argparse
import datetime
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_event_figures_bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--per-event", type=int, default=50)
    parser.add_argument("--groups", type=int, default=600)
    parser.add_argument("--firms", type=int, default=12000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    run_on_throwaway(args, DEFAULT_URL, run)


def build(args: Any) -> None:
    from django.utils import timezone
    from tests.factories import make_brn

    from yunghap.events.models import Event, EventSession, FeedbackAnswer, FeedbackSurvey, Registration
    from yunghap.network.models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership

    rng = random.Random(2026)
    regions = list(Federation.objects.filter(level=Federation.Level.REGIONAL))
    types = list(ExchangeType.objects.all())
    industry = Industry.objects.order_by("code").first()
    groups = ExchangeGroup.objects.bulk_create(
        ExchangeGroup(
            code=f"bg{n:05d}",
            name=f"측정교류회{n}",
            federation=rng.choice(regions),
            founded_on=datetime.date(2000, 1, 1),
        )
        for n in range(args.groups)
    )
    through = ExchangeGroup.exchange_types.through
    through.objects.bulk_create(
        through(exchangegroup_id=g.pk, exchangetype_id=t.pk)
        for g in groups
        for t in rng.sample(types, rng.choice([1, 1, 2]))
    )
    firms = Firm.objects.bulk_create(
        Firm(brn=make_brn(n + 1), name=f"(주)측정{n}", federation=rng.choice(regions), industry=industry)
        for n in range(args.firms)
    )
    memberships = []
    for firm in firms:
        for group in rng.sample(groups, 2 if rng.random() < 0.3 else 1):
            memberships.append(Membership(group=group, firm=firm, joined_on=datetime.date(2015, 1, 1)))
    Membership.objects.bulk_create(memberships, batch_size=5000)
    now = timezone.now()
    events = Event.objects.bulk_create(
        Event(
            code=f"bev{n:05d}",
            title=f"측정 교육 {n}",
            kind=Event.Kind.COURSE,
            organiser=None if n % 5 == 0 else rng.choice(regions),
            capacity=args.per_event,
            registration_opens=datetime.date(2020, 1, 1),
            registration_closes=datetime.date(2020, 1, 2),
        )
        for n in range(args.events)
    )
    EventSession.objects.bulk_create(
        EventSession(
            event=e,
            starts_at=(start := now - datetime.timedelta(days=rng.randrange(2, 5 * 365), hours=3)),
            ends_at=start + datetime.timedelta(hours=3),
            place="측정 강의실",
            hours=Decimal("3.00"),
        )
        for e in events
    )
    registrations = []
    for e in events:
        for q in range(args.per_event):
            firm = None if rng.random() < 0.1 else rng.choice(firms)
            attended = rng.choice([Decimal("0"), Decimal("1.50"), Decimal("3.00"), Decimal("3.00")])
            registrations.append(
                Registration(
                    event=e,
                    name=f"측정{q}",
                    email=f"p{q}@{e.code}.kr",
                    email_key=f"p{q}@{e.code}.kr",
                    firm=firm,
                    registered_at=now,
                    status=Registration.Status.CONFIRMED,
                    queue_position=q + 1,
                    hours_attended=attended,
                    completed=attended == Decimal("3.00"),
                )
            )
    Registration.objects.bulk_create(registrations, batch_size=5000)
    surveys = FeedbackSurvey.objects.bulk_create(FeedbackSurvey(event=e) for e in events)
    FeedbackAnswer.objects.bulk_create(
        (
            FeedbackAnswer(
                survey=s,
                instructor=rng.randint(3, 5),
                materials=rng.randint(2, 5),
                goal_met=rng.randint(3, 5),
                facilities=rng.randint(2, 5),
            )
            for s in surveys
            for _ in range(int(args.per_event * 0.6))
        ),
        batch_size=5000,
    )


def run(args: Any, url: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from tests.factories import make_user

    from yunghap.accounts.models import Role
    from yunghap.events.models import EducationYear, EventYear, Registration
    from yunghap.events.statistics import refresh_event_figures
    from yunghap.insights import education
    from yunghap.network.models import ExchangeType, Federation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"database {url}: migrated in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    build(args)
    print(
        f"built {Registration.objects.count():,} registrations of {args.events:,} events, "
        f"{args.firms:,} firms in {args.groups:,} groups in {time.perf_counter() - started:.1f} s"
    )
    wall, worst, cpu = median_ms(args.runs, refresh_event_figures)
    rows = EducationYear.objects.count() + EventYear.objects.count()
    print(
        f"refresh_event_figures: median {wall:.0f} ms, worst {worst:.0f} ms, CPU {cpu:.0f} ms, {rows:,} rows stored"
    )
    year = timezone.localdate().year
    region = Federation.objects.filter(level=Federation.Level.REGIONAL).order_by("code").first()
    kind = ExchangeType.objects.order_by("code").first()
    assert region is not None and kind is not None
    reads = {
        "education section, national": lambda: (
            education.education_years(first=year - 9, last=year),
            education.event_years(first=year - 9, last=year),
            education.education_by_group(first=year - 9, last=year),
        ),
        f"education section, region {region.code}": lambda: (
            education.education_years(first=year - 9, last=year, region_id=region.pk),
            education.event_years(first=year - 9, last=year, region_id=region.pk),
            education.education_by_group(first=year - 9, last=year, region_id=region.pk),
        ),
        f"education section, type {kind.code}": lambda: (
            education.education_years(first=year - 9, last=year, exchange_type=kind.code),
            education.education_by_group(first=year - 9, last=year, exchange_type=kind.code),
        ),
    }
    for label, call in reads.items():
        wall, worst, cpu = median_ms(args.runs, call)
        print(f"{label:<36} median {wall:7.1f} ms, worst {worst:7.1f} ms, CPU {cpu:7.1f} ms")
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from django.test import override_settings

    # As in Django's tests: a request must not close the connection whose queries are being counted.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request_started.disconnect(reset_queries)
    user = make_user("bench-central", Role.CENTRAL_STAFF)
    with override_settings(ALLOWED_HOSTS=["testserver"], OTP_REQUIRED_FOR_STAFF=False, DEBUG=False):
        client = Client()
        client.force_login(user)

        def page() -> None:
            response = client.get("/statistics/", {"from": year - 9, "to": year})
            assert response.status_code == 200, response.status_code

        wall, worst, cpu = median_ms(args.runs, page)
        with CaptureQueriesContext(connection) as captured:
            page()
    print(
        f"{'trend page (10 years, national)':<36} median {wall:7.1f} ms, worst {worst:7.1f} ms, "
        f"CPU {cpu:7.1f} ms, {len(captured)} queries"
    )


if __name__ == "__main__":
    main()
