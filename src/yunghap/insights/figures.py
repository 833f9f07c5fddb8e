"""Rebuilding the materialised monthly figures (`GroupMonth`) from the source records.

Definitions (documented on the statistics pages too):

* The series start with the ledger: the month of the earliest meeting anywhere (or of the earliest
  membership when there is no meeting yet), and for each group not before the month it was founded.
  A group has a row for a month when it had at least one member or one ledger record that month.
* A member counts for every month they were in: a membership runs from `joined_on` to the day before
  `left_on`, so a firm leaving on 10 March counts in March and not in April.
* Joins / leaves: memberships whose `joined_on` / `left_on` fall in the month.
* Meetings and attendance: meetings held in the month with their listed and present totals
  (`Meeting.listed_count` / `present_count`, kept by the ledger services).
* Diversity: the number of distinct KSIC divisions among the month's members and the Shannon entropy
  (natural log) of their division shares.
* Dormant: no meeting in the month nor in the two months before (a group younger than three months is
  never dormant).

Correctness: signal handlers (`connect_signals`) mark a group stale whenever one of its source rows is
saved or deleted through the ORM, and the writing transaction enqueues, on commit, the task that rebuilds
the stale groups (`tasks.refresh_stale_statistics`, which calls `ensure_fresh()`). Statistics pages read
the materialised rows as they are and never write (principle 13).
Bulk writes that bypass signals (ledger import, demo) call `mark_stale` / `refresh_group_months`
themselves; `yunghap refresh_statistics` rebuilds everything.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any, cast

from django.db import transaction
from django.db.models import Count, Max, Min, Q, Sum
from django.db.models.functions import ExtractMonth, ExtractYear
from django.utils import timezone

from yunghap.activities.models import Activity, Meeting, Outcome, Trade
from yunghap.network.models import ExchangeGroup, ExchangeType, Membership

from .models import GroupMonth, StaleGroup

DORMANT_MONTHS = 3
BATCH = 5000


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 + count
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_index(month: datetime.date) -> int:
    return month.year * 12 + month.month - 1


def series_start() -> datetime.date | None:
    first_meeting = Meeting.objects.aggregate(first=Min("held_on"))["first"]
    if first_meeting:
        return month_start(first_meeting)
    first_join = Membership.objects.aggregate(first=Min("joined_on"))["first"]
    return month_start(first_join) if first_join else None


def entropy_of(counts: Iterable[int]) -> float:
    values = [c for c in counts if c > 0]
    total = sum(values)
    if total == 0:
        return 0.0
    return -sum((c / total) * math.log(c / total) for c in values)


def _per_group_month(queryset, date_field: str, **aggregates) -> dict[tuple[int, int], dict]:
    # Year and month as integers: cheaper to load than a truncated date (a timestamp on PostgreSQL).
    rows = (
        queryset.order_by()
        .annotate(y=ExtractYear(date_field), m=ExtractMonth(date_field))
        .values("group_id", "y", "m")
        .annotate(**aggregates)
    )
    return {(row["group_id"], row["y"] * 12 + row["m"] - 1): row for row in rows}


# Column order of the rows compute_group_months returns (and of the COPY that writes them).
COLUMNS = (
    "group_id",
    "month",
    "federation_id",
    "members",
    "joins",
    "leaves",
    "meetings",
    "attendance_listed",
    "attendance_present",
    "trades_count",
    "trades_amount",
    "outcomes",
    "resource_activities",
    "divisions",
    "entropy",
    "dormant",
)


def compute_group_months(group_ids: list[int] | None = None) -> list[tuple]:
    """The rows `GroupMonth` must hold for these groups (all groups when None), as tuples in COLUMNS order."""
    start = series_start()
    if start is None:
        return []
    end = month_start(timezone.localdate())
    groups = ExchangeGroup.objects.order_by()
    memberships = Membership.objects.order_by()
    meetings = Meeting.objects.all()
    trades = Trade.objects.all()
    outcomes = Outcome.objects.all()
    activities = Activity.objects.filter(kind__in=[Activity.Kind.HR_EXCHANGE, Activity.Kind.JOINT_PROJECT])
    if group_ids is not None:
        groups = groups.filter(id__in=group_ids)
        memberships = memberships.filter(group_id__in=group_ids)
        meetings = meetings.filter(group_id__in=group_ids)
        trades = trades.filter(group_id__in=group_ids)
        outcomes = outcomes.filter(group_id__in=group_ids)
        activities = activities.filter(group_id__in=group_ids)

    meeting_map = _per_group_month(
        meetings, "held_on", n=Count("id"), listed=Sum("listed_count"), present=Sum("present_count")
    )
    trade_map = _per_group_month(trades, "traded_on", n=Count("id"), amount=Sum("amount_krw"))
    outcome_map = _per_group_month(outcomes, "achieved_on", n=Count("id"))
    activity_map = _per_group_month(activities, "held_on", n=Count("id"))

    # Membership changes as events per month index: +1/-1 of a division, and join/leave counts.
    changes: dict[int, dict[int, list[tuple[int, int]]]] = defaultdict(lambda: defaultdict(list))
    joins: Counter[tuple[int, int]] = Counter()
    leaves: Counter[tuple[int, int]] = Counter()
    for group_id, joined_on, left_on, industry_id in memberships.values_list(
        "group_id", "joined_on", "left_on", "firm__industry_id"
    ):
        first = month_index(joined_on)
        joins[(group_id, first)] += 1
        changes[group_id][first].append((industry_id, 1))
        if left_on is not None:
            leaves[(group_id, month_index(left_on))] += 1
            # Member through the day before left_on: a departure on the 1st ends with the previous month.
            stop = month_index(left_on) + (0 if left_on.day == 1 else 1)
            changes[group_id][stop].append((industry_id, -1))

    start_index, end_index = month_index(start), month_index(end)
    months = {i: datetime.date(i // 12, i % 12 + 1, 1) for i in range(start_index, end_index + 1)}
    rows: list[tuple] = []
    for group_id, founded_on, federation_id in groups.values_list("id", "founded_on", "federation_id"):
        first = start_index
        if founded_on is not None:
            first = max(first, month_index(founded_on))
        events = changes.get(group_id, {})
        divisions: Counter[int] = Counter()
        # Replay changes before the first month so the opening member count is right.
        for index in sorted(i for i in events if i <= first):
            for industry_id, delta in events[index]:
                divisions[industry_id] += delta
        members, distinct, entropy = _make_up(divisions)
        months_since_meeting = 0
        age = 0
        for index in range(first, end_index + 1):
            if index > first and index in events:
                for industry_id, delta in events[index]:
                    divisions[industry_id] += delta
                members, distinct, entropy = _make_up(divisions)
            key = (group_id, index)
            meeting = meeting_map.get(key)
            trade = trade_map.get(key)
            outcome = outcome_map.get(key)
            activity = activity_map.get(key)
            held = meeting["n"] if meeting else 0
            months_since_meeting = 0 if held else months_since_meeting + 1
            joined, left = joins.get(key, 0), leaves.get(key, 0)
            if not (members or meeting or trade or outcome or activity or joined or left):
                age = 0
                months_since_meeting = 0
                continue
            age += 1
            rows.append(
                (
                    group_id,
                    months[index],
                    federation_id,
                    members,
                    joined,
                    left,
                    held,
                    (meeting["listed"] or 0) if meeting else 0,
                    (meeting["present"] or 0) if meeting else 0,
                    trade["n"] if trade else 0,
                    (trade["amount"] or 0) if trade else 0,
                    outcome["n"] if outcome else 0,
                    activity["n"] if activity else 0,
                    distinct,
                    entropy,
                    age >= DORMANT_MONTHS and months_since_meeting >= DORMANT_MONTHS,
                )
            )
    return rows


def _make_up(divisions: Counter[int]) -> tuple[int, int, float]:
    """Members, distinct divisions and entropy of a group's current division counts."""
    counts = [c for c in divisions.values() if c > 0]
    return sum(counts), len(counts), round(entropy_of(counts), 6)


def _write_rows(rows: list[tuple]) -> None:
    connection = transaction.get_connection()
    table = GroupMonth._meta.db_table
    if connection.vendor == "postgresql":
        # COPY: a third of a million rows in seconds, where INSERTs through the ORM take minutes.
        with connection.cursor() as cursor:
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    with connection.cursor() as cursor:
        for offset in range(0, len(rows), BATCH):
            cursor.executemany(
                # Table and column names are this module's constants, never user input.
                f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})",  # noqa: S608
                rows[offset : offset + BATCH],
            )


@transaction.atomic
def refresh_group_months(group_ids: Iterable[int] | None = None) -> int:
    """Rebuild the figures of these groups (all when None); returns the number of rows written.

    When the ledger now starts earlier than the stored figures (older records were imported), every
    group is rebuilt, since every group's series gets longer.
    """
    ids = None if group_ids is None else sorted(set(group_ids))
    # Take the marks before reading the sources, under their row locks. A change still in progress holds its
    # group's mark locked (mark_stale upserts it) until it commits, so the figures computed below include it;
    # a change that commits later writes a new mark and queues its own rebuild. Only the marks taken here
    # are cleared at the end (on SQLite the write lock serialises the whole transaction anyway).
    marks = StaleGroup.objects.select_for_update()
    taken = list(
        (marks if ids is None else marks.filter(group_id__in=ids)).values_list("group_id", flat=True)
    )
    if ids is not None:
        start = series_start()
        stored_start = GroupMonth.objects.aggregate(first=Min("month"))["first"]
        if start is not None and stored_start is not None and start < stored_start:
            ids = None
    rows = compute_group_months(ids)
    if ids is None:
        GroupMonth.objects.all().delete()
        regions = None
    else:
        old = GroupMonth.objects.filter(group_id__in=ids).order_by().values_list("federation_id", flat=True)
        # A group that moved region leaves its old region's roll-up too.
        regions = set(old.distinct()) | set(
            ExchangeGroup.objects.filter(id__in=ids).values_list("federation_id", flat=True)
        )
        GroupMonth.objects.filter(group_id__in=ids).delete()
    StaleGroup.objects.filter(group_id__in=taken).delete()
    _forget_written(ids)
    _write_rows(rows)
    _write_years(rows, ids)
    refresh_region_months(regions)
    return len(rows)


def _write_years(rows: list[tuple], ids: list[int] | None) -> None:
    """GroupYear from the monthly rows just computed (no query to read them back)."""
    from .models import GroupYear

    at = {name: COLUMNS.index(name) for name in COLUMNS}
    summed = (
        "meetings",
        "attendance_listed",
        "attendance_present",
        "trades_count",
        "trades_amount",
        "outcomes",
        "resource_activities",
    )
    years: dict[tuple[int, int], dict] = {}
    for row in rows:  # rows come in month order within each group
        key = (row[at["group_id"]], row[at["month"]].year)
        entry = years.setdefault(key, dict.fromkeys(summed, 0))
        for name in summed:
            entry[name] += row[at[name]]
        entry["members"] = row[at["members"]]
    stored = GroupYear.objects.all() if ids is None else GroupYear.objects.filter(group_id__in=ids)
    stored.delete()
    GroupYear.objects.bulk_create(
        [GroupYear(group_id=gid, year=year, **values) for (gid, year), values in years.items()],
        batch_size=BATCH,
    )


ROLLUP = {
    "groups": Count("id"),
    "dormant_groups": Count("id", filter=Q(dormant=True)),
    "members": Sum("members"),
    "joins": Sum("joins"),
    "leaves": Sum("leaves"),
    "meetings": Sum("meetings"),
    "attendance_listed": Sum("attendance_listed"),
    "attendance_present": Sum("attendance_present"),
    "trades_count": Sum("trades_count"),
    "trades_amount": Sum("trades_amount"),
    "outcomes": Sum("outcomes"),
    "groups_with_members": Count("id", filter=Q(members__gt=0)),
    "divisions_sum": Sum("divisions"),
    "entropy_sum": Sum("entropy"),
}


def refresh_region_months(federation_ids: Iterable[int] | None = None) -> int:
    """Rebuild the per-region, per-type roll-up of GroupMonth (for these regions, or all)."""
    from .models import RegionMonth

    ids = None if federation_ids is None else sorted(set(federation_ids))
    base = GroupMonth.objects.order_by()
    stored = RegionMonth.objects.all()
    if ids is not None:
        base = base.filter(federation_id__in=ids)
        stored = stored.filter(federation_id__in=ids)
    through = ExchangeGroup.exchange_types.through
    variants = [("", base)] + [
        (
            code,
            base.filter(
                group_id__in=through.objects.filter(exchangetype__code=code).values("exchangegroup_id")
            ),
        )
        for code in ExchangeType.objects.values_list("code", flat=True)
    ]
    rows = []
    for code, queryset in variants:
        summed = queryset.values("month", "federation_id").annotate(
            **{f"r_{key}": aggregate for key, aggregate in ROLLUP.items()}
        )
        # django-stubs types .values().annotate() rows from literal keywords only, not the ** ones above.
        for row in cast("Iterable[dict[str, Any]]", summed):
            rows.append(
                RegionMonth(
                    month=row["month"],
                    federation_id=row["federation_id"],
                    exchange_type=code,
                    **{key: row[f"r_{key}"] or 0 for key in ROLLUP},
                )
            )
    stored.delete()
    RegionMonth.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def mark_stale(group_ids: Iterable[int]) -> None:
    """Mark groups for a rebuild before the next statistics read.

    Written inside the caller's transaction, so a rolled-back change leaves no mark (and needs none). A
    transaction that touches one group a thousand times (a cascade delete, a loop of saves) writes its
    mark once.
    """
    ids = {int(i) for i in group_ids if i}
    written = _written_in_transaction()
    if written is not None:
        ids -= set().union(*written)
    if ids:
        # An upsert, not "ignore": it locks an existing mark until this transaction ends, so a rebuild running
        # meanwhile waits for this change instead of clearing the mark without having seen it.
        StaleGroup.objects.bulk_create(
            [StaleGroup(group_id=i) for i in sorted(ids)],
            update_conflicts=True,
            update_fields=["marked_at"],
            unique_fields=["group_id"],
        )
        if written is not None:
            written[-1].update(ids)
        # Reads never rebuild: the rebuild task runs once the marks are committed (at once in autocommit).
        # Marks are written once per group and transaction, so this enqueues at most that often.
        transaction.on_commit(_enqueue_rebuild)


def _enqueue_rebuild() -> None:
    from .tasks import refresh_stale_statistics

    refresh_stale_statistics.enqueue()


_WRITTEN: dict[int, tuple[object, dict[tuple[str, ...], set[int]]]] = {}


def _written_in_transaction() -> list[set[int]] | None:
    """Ids already marked in the current transaction, one set per enclosing savepoint level.

    Only marks made at the current level or an enclosing one count: a savepoint rolled back takes its
    marks with it, so ids marked inside it are marked again afterwards. The transaction is recognised by
    a sentinel on-commit callback, which Django drops on commit and on rollback.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        return None
    entry = _WRITTEN.get(id(connection))
    if entry is None or not any(item[1] is entry[0] for item in connection.run_on_commit):
        sentinel = _sentinel_factory()
        transaction.on_commit(sentinel)
        entry = (sentinel, {})
        _WRITTEN[id(connection)] = entry
    levels = entry[1]
    stack = tuple(connection.savepoint_ids)
    return [levels.setdefault(stack[:depth], set()) for depth in range(len(stack) + 1)]


def _forget_written(ids: list[int] | None) -> None:
    """The marks just deleted must be written again by the next change in this transaction."""
    entry = _WRITTEN.get(id(transaction.get_connection()))
    if entry is None:
        return
    for written in entry[1].values():
        if ids is None:
            written.clear()
        else:
            written.difference_update(ids)


def _sentinel_factory():
    def sentinel() -> None:
        """Marks which transaction the ids in _WRITTEN belong to; nothing to do on commit."""

    return sentinel


def ensure_fresh() -> int:
    """Rebuild the stale groups' figures; one query when nothing is stale. Returns groups rebuilt."""
    # Unlocked: refresh_group_months takes (locks) the marks again before it reads the sources.
    ids = list(StaleGroup.objects.values_list("group_id", flat=True))
    if ids:
        refresh_group_months(ids)
    return len(ids)


def last_month() -> datetime.date | None:
    return GroupMonth.objects.aggregate(last=Max("month"))["last"]
