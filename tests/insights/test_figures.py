"""The materialised monthly figures stay equal to the source records through changes."""

from __future__ import annotations

import datetime
import math
import threading
import time
from collections import Counter

import pytest
from django.db import connection, transaction

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry
from tests.helpers import at_once
from yunghap.activities import services as ledger
from yunghap.activities.models import Attendance, Meeting, Outcome, Trade
from yunghap.insights import figures
from yunghap.insights.figures import ensure_fresh, refresh_group_months
from yunghap.insights.models import GroupMonth, GroupYear, StaleGroup
from yunghap.network.models import Membership

D = datetime.date


def month_range(first: datetime.date, last: datetime.date):
    month = first.replace(day=1)
    while month <= last:
        yield month
        month = D(month.year + month.month // 12, month.month % 12 + 1, 1)


def naive_figures(group) -> dict[datetime.date, dict]:
    """An independent oracle: every figure recomputed the slow way from the raw rows."""
    first_meeting = Meeting.objects.order_by("held_on").first()
    result = {}
    today = datetime.date.today()
    for month in month_range(max(first_meeting.held_on, group.founded_on), today):
        end = D(month.year + month.month // 12, month.month % 12 + 1, 1) - datetime.timedelta(days=1)
        in_month = [
            m
            for m in Membership.objects.filter(group=group).select_related("firm")
            if m.joined_on <= end and (m.left_on is None or m.left_on > month)
        ]
        meetings = Meeting.objects.filter(group=group, held_on__gte=month, held_on__lte=end)
        attendance = Attendance.objects.filter(meeting__in=meetings)
        trades = Trade.objects.filter(group=group, traded_on__gte=month, traded_on__lte=end)
        divisions = Counter(m.firm.industry_id for m in in_month)
        total = sum(divisions.values())
        entropy = -sum(c / total * math.log(c / total) for c in divisions.values()) if total else 0.0
        row = {
            "members": len(in_month),
            "joins": Membership.objects.filter(group=group, joined_on__gte=month, joined_on__lte=end).count(),
            "leaves": Membership.objects.filter(group=group, left_on__gte=month, left_on__lte=end).count(),
            "meetings": meetings.count(),
            "attendance_listed": attendance.count(),
            "attendance_present": attendance.filter(present=True).count(),
            "trades_count": trades.count(),
            "trades_amount": sum(t.amount_krw for t in trades),
            "outcomes": Outcome.objects.filter(
                group=group, achieved_on__gte=month, achieved_on__lte=end
            ).count(),
            "divisions": len(divisions),
            "entropy": round(entropy, 6),
        }
        if any(row[k] for k in ("members", "meetings", "trades_count", "outcomes", "joins", "leaves")):
            result[month] = row
    return result


def stored_figures(group) -> dict[datetime.date, dict]:
    fields = list(next(iter(naive_figures(group).values())).keys())
    return {
        row["month"]: {k: row[k] for k in fields}
        for row in GroupMonth.objects.filter(group=group).values("month", *fields)
    }


@pytest.fixture
def network(db):
    group = GroupFactory(code="fig-1", founded_on=D(2000, 1, 1))
    firms = [FirmFactory(industry=industry(code)) for code in ("26", "26", "29", "10")]
    for firm in firms[:3]:
        MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
    # Joins mid-month and leaves on the 1st: counts in its months only.
    MembershipFactory(group=group, firm=firms[3], joined_on=D(2025, 2, 15), left_on=D(2025, 5, 1))
    return group, firms


def test_figures_equal_sources_through_changes(network, django_capture_on_commit_callbacks):
    group, firms = network
    a, b, c, d = firms
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[a.pk, b.pk])
    ledger.record_meeting(group, actor=None, held_on=D(2025, 3, 12), present_firm_ids=[a.pk, d.pk])
    ledger.record_trade(
        group, actor=None, buyer=a, seller=b, item="부품", amount_krw=1_200_000, traded_on=D(2025, 3, 20)
    )
    refresh_group_months()
    assert stored_figures(group) == naive_figures(group)
    march = GroupMonth.objects.get(group=group, month=D(2025, 3, 1))
    assert (march.members, march.divisions, march.attendance_present, march.trades_amount) == (
        4,
        3,
        2,
        1_200_000,
    )
    assert not GroupMonth.objects.filter(group=group, month=D(2025, 5, 1), members=4).exists()

    # Changes through the services mark the group; the next read rebuilds it.
    meeting = ledger.record_meeting(group, actor=None, held_on=D(2025, 6, 5), present_firm_ids=[c.pk])
    assert StaleGroup.objects.filter(group_id=group.pk).exists()
    ledger.update_meeting(meeting, actor=None, present_firm_ids=[a.pk, b.pk, c.pk])
    ledger.record_outcome(
        group, actor=None, kind="new_product", title="융합 센서", achieved_on=D(2025, 6, 30), firms=[a, b]
    )
    ledger.delete_meeting(Meeting.objects.get(held_on=D(2025, 1, 10)), actor=None)
    Membership.objects.filter(firm=c).update(left_on=None)  # a write around the ORM signals …
    membership = Membership.objects.get(firm=c)
    membership.left_on = D(2025, 8, 20)
    membership.save()  # … and one through them
    c.industry = industry("10")
    c.save()
    assert ensure_fresh() == 1
    assert not StaleGroup.objects.exists()
    assert stored_figures(group) == naive_figures(group)
    assert ensure_fresh() == 0
    # The yearly roll-up follows the monthly rows.
    months = GroupMonth.objects.filter(group=group, month__year=2025)
    year = GroupYear.objects.get(group=group, year=2025)
    assert year.meetings == sum(m.meetings for m in months) == 2
    assert year.attendance_present == sum(m.attendance_present for m in months)
    assert year.outcomes == 1 and year.members == months.order_by("-month").first().members


def test_dormant_after_three_months_without_meeting(network):
    group, firms = network
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[firms[0].pk])
    ledger.record_meeting(group, actor=None, held_on=D(2025, 6, 10), present_firm_ids=[firms[0].pk])
    refresh_group_months()
    dormant = dict(GroupMonth.objects.filter(group=group, month__year=2025).values_list("month", "dormant"))
    assert [dormant[D(2025, m, 1)] for m in range(1, 8)] == [False, False, False, True, True, False, False]


def test_rolled_back_change_leaves_no_mark_and_the_next_one_marks_again(network):
    group, firms = network
    refresh_group_months()
    assert not StaleGroup.objects.exists()
    with pytest.raises(RuntimeError, match="^$"), transaction.atomic():
        ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[])
        assert StaleGroup.objects.filter(group_id=group.pk).exists()
        raise RuntimeError
    assert not StaleGroup.objects.exists()
    # The rolled-back savepoint took its mark along; a new change in the same transaction writes it again.
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[])
    assert StaleGroup.objects.filter(group_id=group.pk).exists()


def test_a_ledger_import_rebuilds_the_figures(network, django_capture_on_commit_callbacks):
    """Imports write with bulk_create (no signals); the import's audit row triggers the rebuild."""
    from yunghap.core.imports import import_file

    group, firms = network
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[firms[0].pk])
    refresh_group_months()
    a, b = firms[0], firms[1]
    text = f"group_code,buyer_brn,seller_brn,item,amount_krw,traded_on\n{group.code},{a.brn},{b.brn},금형,700000,2025-02-03\n"
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file("trades", text.encode(), actor=None, dry_run=False, filename="t.csv")
    assert report.ok, report.errors
    assert GroupMonth.objects.get(group=group, month=D(2025, 2, 1)).trades_amount == 700_000
    assert stored_figures(group) == naive_figures(group)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two connections at once need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_rebuild_during_a_change_waits_for_it_and_counts_it(network, monkeypatch):
    """A change commits while a rebuild of its group runs: the rebuild must not clear the group's mark without
    having seen the change (it was left stale until the nightly run). The change's own queued rebuild is
    held back here, so only the racing rebuild can make the figures right."""
    group, firms = network
    monkeypatch.setattr(figures, "_enqueue_rebuild", lambda: None)
    ledger.record_meeting(group, actor=None, held_on=D(2025, 1, 10), present_firm_ids=[firms[0].pk])
    assert StaleGroup.objects.filter(group_id=group.pk).exists()  # an older change's mark, not yet rebuilt
    marked, release = threading.Event(), threading.Event()

    def change() -> None:
        with transaction.atomic():
            ledger.record_meeting(group, actor=None, held_on=D(2025, 3, 12), present_firm_ids=[firms[1].pk])
            marked.set()
            release.wait(5)  # still writing while the rebuild starts

    def rebuild() -> int:
        marked.wait(5)
        return ensure_fresh()

    def let_go() -> None:
        marked.wait(5)
        time.sleep(0.5)  # the rebuild is now waiting for the change's lock (or, unfixed, already done)
        release.set()

    at_once(change, rebuild, let_go)
    assert not StaleGroup.objects.exists()
    assert GroupMonth.objects.get(group=group, month=D(2025, 3, 1)).meetings == 1
