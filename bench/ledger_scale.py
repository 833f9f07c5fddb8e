"""Build the national-scale synthetic ledger on PostgreSQL (10x the plan) and print how long it took.

    .venv/bin/python bench/ledger_scale.py [--database-url postgres://postgres@127.0.0.1:5432/yh_scale]
                                           [--seed 7] [--keep]

2,740 groups in the 13 regional federations, ~57,000 firms, memberships with joins and leaves, ten
years (the 120 months ending last month) of monthly meetings with attendance (~6 million rows),
trades, convergence R&D results and other activities. The database is created if missing, migrated,
and its network and ledger tables emptied first (unless `--keep` and already filled). Rows go in with
PostgreSQL COPY (psycopg's `cursor.copy`), ids assigned here so no read-back is needed; sequences are
reset and the tables ANALYZEd at the end. Every ledger fact respects membership periods, as in the demo.
Other apps' tables (surveys, insights) are left for their own set-up on the same database.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/yh_scale"
GROUPS = 2740
FIRMS = 57_000
TURNOVER = 0.15  # share of memberships that end inside the ten years, each replaced by another firm
CHUNK = 1 << 20


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunghap.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def brn(seq: int) -> str:
    from yunghap.core.validators import brn_is_valid

    base = f"{200 + seq // 1_000_000:03d}{(seq // 10_000) % 100:02d}{seq % 10_000:04d}"
    for check in range(10):
        if brn_is_valid(base + str(check)):
            return base + str(check)
    raise AssertionError(base)


class Copier:
    """COPY rows into a model's table; columns not given get their default (timestamps: now)."""

    def __init__(self, cursor: Any) -> None:
        self.cursor = cursor
        self.now = datetime.datetime.now(datetime.UTC).isoformat()

    def columns(self, model: Any, given: list[str]) -> tuple[list[str], list[str]]:
        extra, values = [], []
        for field in model._meta.concrete_fields:
            if field.column in given or field.primary_key:
                continue
            if field.name in ("created_at", "updated_at"):
                value = self.now
            elif field.has_default():
                default = field.get_default()
                value = json.dumps(default) if field.get_internal_type() == "JSONField" else default
            elif field.null:
                continue
            elif field.blank:
                value = ""
            else:
                raise RuntimeError(f"{model.__name__}.{field.name} needs a value")
            extra.append(field.column)
            values.append(_text(value))
        return given + extra, values

    def copy(self, model: Any, given: list[str], rows: Any) -> int:
        columns, tail = self.columns(model, given)
        suffix = ("\t" + "\t".join(tail)) if tail else ""
        statement = "COPY {} ({}) FROM STDIN".format(model._meta.db_table, ", ".join(columns))  # noqa: S608
        count = 0
        buffer = io.StringIO()
        with self.cursor.copy(statement) as copy:
            for row in rows:
                buffer.write("\t".join(_text(v) for v in row) + suffix + "\n")
                count += 1
                if buffer.tell() > CHUNK:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        return count


def drop_secondary_indexes(cursor: Any, table: str) -> list[str]:
    """Drop a table's unique constraints and indexes other than the primary key; return how to rebuild them."""
    rebuild = []
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [table],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        [table],
    )
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        rebuild.append(definition)
    return rebuild


def _text(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def build(seed: int) -> dict[str, Any]:
    from django.db import connection

    from yunghap.activities.demo import (
        ACTIVITY_TITLES,
        AGENDAS,
        OUTCOME_TITLES,
        OUTCOME_WORDS,
        PLACES,
        TRADE_ITEMS,
        _months,
        _nth_weekday,
        _poisson,
        _random_day,
        ledger_window,
    )
    from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
    from yunghap.network.models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership

    rng = random.Random(seed)
    today = datetime.date.today()
    start, end = ledger_window(today)
    months = _months(start)
    regions = list(
        Federation.objects.filter(level="regional").order_by("sort_order").values_list("id", "code")
    )
    industries = list(Industry.objects.values_list("id", flat=True))
    types = dict(ExchangeType.objects.values_list("code", "id"))
    timings: dict[str, float] = {}
    counts: dict[str, int] = {}
    step = time.perf_counter()

    # --- network: groups, firms, memberships (ids assigned here) ---
    groups = []
    for gid in range(1, GROUPS + 1):
        fed_id, fed_code = regions[(gid - 1) % len(regions)]
        founded = datetime.date(rng.randint(1989, 2014), rng.randint(1, 12), rng.randint(1, 28))
        status = "dormant" if rng.random() < 0.06 else "active"
        groups.append(
            (gid, f"{fed_code}-s{gid:04d}", f"규모시험교류회{gid:04d}", fed_id, "unit", founded, status)
        )
    group_types = []
    for gid, *_rest in groups:
        chosen = [
            c
            for c, share in (("info", 0.836), ("resource", 0.308), ("newproduct", 0.241))
            if rng.random() < share
        ]
        for code in chosen or ["info"]:
            group_types.append((gid, types[code]))
    firms = []
    for fid in range(1, FIRMS + 1):
        fed_id = regions[(fid - 1) % len(regions)][0]
        firms.append(
            (fid, brn(fid), f"(주)규모시험{fid:05d}", fed_id, rng.choice(industries), rng.randint(3, 250))
        )
    # Each firm starts in one group; turnover moves some seats to firms already in another group.
    stints: dict[int, list[tuple[int, datetime.date, datetime.date | None, str]]] = defaultdict(list)
    memberships = []
    order = list(range(1, FIRMS + 1))
    rng.shuffle(order)
    for index, fid in enumerate(order):
        gid, founded = groups[index % GROUPS][0], groups[index % GROUPS][5]
        seat = index // GROUPS
        role = "chair" if seat == 0 else "secretary" if seat == 1 else "member"
        joined = founded + datetime.timedelta(days=rng.randint(0, max(1, (start - founded).days - 30)))
        left = None
        if role == "member" and rng.random() < TURNOVER:
            left = start + datetime.timedelta(days=rng.randint(30, (end - start).days - 30))
            newcomer = rng.randint(1, FIRMS)
            if newcomer != fid:
                stints[gid].append((newcomer, left, None, "member"))
        stints[gid].append((fid, joined, left, role))
    mid = 0
    for gid in sorted(stints):
        seen = set()
        for firm_id, joined, left, role in stints[gid]:
            if (firm_id, joined) in seen:
                continue
            seen.add((firm_id, joined))
            mid += 1
            memberships.append((mid, gid, firm_id, role, joined, left))
    periods: dict[int, list[tuple[int, datetime.date, datetime.date | None]]] = defaultdict(list)
    for _id, gid, firm_id, _role, joined, left in memberships:
        periods[gid].append((firm_id, joined, left))
    timings["generate network"] = time.perf_counter() - step

    with connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # the psycopg cursor under Django's wrapper
        copier = Copier(cursor)
        step = time.perf_counter()
        tables = [
            m._meta.db_table
            for m in (Attendance, Meeting, Trade, Outcome, Activity, Membership, ExchangeGroup, Firm)
        ]
        cursor.execute("TRUNCATE " + ", ".join(tables) + " CASCADE")
        # Bulk-load settings: the generator guarantees referential integrity, so the per-row FK
        # triggers (queued to commit as Django's FKs are DEFERRABLE) are skipped for this session.
        # CHECK constraints still apply. Needs a superuser, as the bench database's owner is.
        cursor.execute("SET session_replication_role = replica")
        counts["groups"] = copier.copy(
            ExchangeGroup, ["id", "code", "name", "federation_id", "kind", "founded_on", "status"], groups
        )
        copier.copy(
            ExchangeGroup.exchange_types.through, ["exchangegroup_id", "exchangetype_id"], group_types
        )
        counts["firms"] = copier.copy(
            Firm, ["id", "brn", "name", "federation_id", "industry_id", "employees"], firms
        )
        counts["memberships"] = copier.copy(
            Membership, ["id", "group_id", "firm_id", "role", "joined_on", "left_on"], memberships
        )
        timings["copy network"] = time.perf_counter() - step

        # --- ledger: stream meetings and attendance straight into COPY ---
        step = time.perf_counter()
        meetings: list[tuple[Any, ...]] = []
        trades: list[tuple[Any, ...]] = []
        outcomes: list[tuple[Any, ...]] = []
        outcome_firms: list[tuple[int, int]] = []
        activities: list[tuple[Any, ...]] = []
        activity_firms: list[tuple[int, int]] = []
        type_of = defaultdict(set)
        for gid, type_id in group_types:
            type_of[gid].add(type_id)

        def members_on(gid: int, day: datetime.date) -> list[int]:
            return sorted({f for f, j, lft in periods[gid] if j <= day and (lft is None or lft > day)})

        def attendance_rows() -> Any:
            attendance_id = 0
            for gid, _code, _name, _fed, _kind, founded, status in groups:
                propensity = rng.uniform(0.74, 0.92) if rng.random() < 0.93 else rng.uniform(0.52, 0.68)
                week, weekday = rng.randint(0, 3), rng.choice([1, 2, 3])
                stop = today - datetime.timedelta(days=rng.randint(120, 540)) if status == "dormant" else end
                place = rng.choice(PLACES)
                resource = types["resource"] in type_of[gid]
                newproduct = types["newproduct"] in type_of[gid]
                for year_start in range(0, len(months), 12):
                    year_months = months[year_start : year_start + 12]
                    skipped = set(rng.sample(year_months, 1 + (3 if status == "dormant" else 0)))
                    for month in year_months:
                        day = _nth_weekday(month, week, weekday)
                        if month in skipped or day > stop or day < founded:
                            continue
                        listed = members_on(gid, day)
                        if not listed:
                            continue
                        rate = min(1.0, max(0.2, rng.gauss(propensity, 0.06)))
                        present = 0
                        meeting_id = len(meetings) + 1
                        for firm_id in listed:
                            here = rng.random() < rate
                            present += here
                            attendance_id += 1
                            yield (attendance_id, meeting_id, firm_id, here)
                        meetings.append(
                            (
                                meeting_id,
                                gid,
                                "monthly",
                                day,
                                place,
                                ", ".join(rng.sample(AGENDAS, 2)),
                                len(listed),
                                present,
                            )
                        )
                    for _n in range(_poisson(rng, 4.0 if resource else 0.6)):
                        day = _random_day(rng, year_months)
                        listed = members_on(gid, day) if day <= stop else []
                        if len(listed) >= 2:
                            buyer, seller = rng.sample(listed, 2)
                            amount = int(rng.lognormvariate(17.0, 1.0)) // 10_000 * 10_000
                            trades.append(
                                (len(trades) + 1, gid, buyer, seller, rng.choice(TRADE_ITEMS), amount, day)
                            )
                    for kind, mean in (
                        ("hr_exchange", 0.4),
                        ("joint_project", 0.5 if resource else 0.2),
                        ("social_service", 0.7),
                    ):
                        for _n in range(_poisson(rng, mean)):
                            day = _random_day(rng, year_months)
                            listed = members_on(gid, day) if day <= stop else []
                            if listed:
                                activity_id = len(activities) + 1
                                activities.append(
                                    (activity_id, gid, kind, rng.choice(ACTIVITY_TITLES[kind]), day)
                                )
                                for firm_id in rng.sample(listed, min(len(listed), rng.randint(2, 6))):
                                    activity_firms.append((activity_id, firm_id))
                    for _n in range(_poisson(rng, 0.12 if newproduct else 0.01)):
                        day = _random_day(rng, year_months)
                        listed = members_on(gid, day) if day <= stop else []
                        if len(listed) >= 2:
                            kind = rng.choice(list(OUTCOME_TITLES))
                            a, b = rng.sample(OUTCOME_WORDS, 2)
                            outcome_id = len(outcomes) + 1
                            outcomes.append(
                                (
                                    outcome_id,
                                    gid,
                                    kind,
                                    rng.choice(OUTCOME_TITLES[kind]).format(a=a, b=b),
                                    day,
                                )
                            )
                            for firm_id in rng.sample(listed, rng.randint(2, min(4, len(listed)))):
                                outcome_firms.append((outcome_id, firm_id))

        # Attendance is streamed as it is generated (its meeting ids are assigned here). Its secondary
        # indexes are dropped for the load and built once afterwards: far cheaper than 6 million
        # random index insertions.
        rebuild = drop_secondary_indexes(cursor, Attendance._meta.db_table)
        counts["attendance"] = copier.copy(
            Attendance, ["id", "meeting_id", "firm_id", "present"], attendance_rows()
        )
        timings["generate + copy attendance"] = time.perf_counter() - step
        step = time.perf_counter()
        for statement in rebuild:
            cursor.execute(statement)
        timings["rebuild attendance indexes"] = time.perf_counter() - step
        step = time.perf_counter()
        counts["meetings"] = copier.copy(
            Meeting,
            ["id", "group_id", "kind", "held_on", "place", "agenda", "listed_count", "present_count"],
            meetings,
        )
        counts["trades"] = copier.copy(
            Trade, ["id", "group_id", "buyer_id", "seller_id", "item", "amount_krw", "traded_on"], trades
        )
        counts["outcomes"] = copier.copy(
            Outcome, ["id", "group_id", "kind", "title", "achieved_on"], outcomes
        )
        copier.copy(Outcome.firms.through, ["outcome_id", "firm_id"], outcome_firms)
        counts["activities"] = copier.copy(
            Activity, ["id", "group_id", "kind", "title", "held_on"], activities
        )
        copier.copy(Activity.firms.through, ["activity_id", "firm_id"], activity_firms)
        for model in (ExchangeGroup, Firm, Membership, Meeting, Attendance, Trade, Outcome, Activity):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1)) FROM {table}"  # noqa: S608
            )
        cursor.execute("SET session_replication_role = DEFAULT")
        timings["copy rest + sequences"] = time.perf_counter() - step
    return {"window": f"{start}..{end}", "counts": counts, "timings": timings}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do nothing if the ledger is already there")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        parser.error("PostgreSQL only (COPY): give --database-url postgres://...")
    started = time.perf_counter()
    ensure_database(args.database_url)
    setup_django(args.database_url)
    migrated = time.perf_counter() - started
    from django.db import connection, transaction

    from yunghap.activities.models import Attendance

    if args.keep and Attendance.objects.exists():
        print("yh_scale already built; --keep given, nothing done")
        return
    with transaction.atomic():
        result = build(args.seed)
    step = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (
            "network_exchangegroup",
            "network_firm",
            "network_membership",
            "activities_meeting",
            "activities_attendance",
            "activities_trade",
            "activities_outcome",
            "activities_activity",
        ):
            cursor.execute(f"ANALYZE {table}")
    result["timings"]["analyze"] = time.perf_counter() - step
    total = time.perf_counter() - started
    print(f"ledger scale set on {args.database_url.rsplit('@', 1)[-1]} ({result['window']})")
    for name, value in result["counts"].items():
        print(f"  {name:<12} {value:>12,}")
    print(f"  {'create+migrate':<28} {migrated:7.1f} s")
    for name, seconds in result["timings"].items():
        print(f"  {name:<28} {seconds:7.1f} s")
    print(f"  {'total':<28} {total:7.1f} s")


if __name__ == "__main__":
    main()
