"""The demo ledger on a small hand-made network: facts respect membership periods, dormant groups stop."""

from __future__ import annotations

import datetime
import io

from django.db.models import Max

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from yunghap.activities.demo import build_demo, ledger_window
from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
from yunghap.network.models import ExchangeGroup, ExchangeType, Membership

TODAY = datetime.date(2026, 11, 27)


def _network():
    newproduct = ExchangeType.objects.get(code="newproduct")
    resource = ExchangeType.objects.get(code="resource")
    for n in range(8):
        group = GroupFactory(
            founded_on=datetime.date(2018, 5, 1) if n == 0 else datetime.date(2000, 1, 1),
            status=ExchangeGroup.Status.DORMANT if n == 1 else ExchangeGroup.Status.ACTIVE,
        )
        group.exchange_types.set([newproduct, resource])
        for k in range(12):
            left = datetime.date(2021, 6, 30) if k < 3 else None
            MembershipFactory(
                group=group,
                firm=FirmFactory(),
                joined_on=max(group.founded_on, datetime.date(2015, 1, 1)),
                left_on=left,
            )
        for _k in range(3):  # joined late: must not appear before they joined
            MembershipFactory(group=group, firm=FirmFactory(), joined_on=datetime.date(2022, 1, 10))


def test_window_is_the_120_months_ending_last_month():
    assert ledger_window(TODAY) == (datetime.date(2016, 11, 1), datetime.date(2026, 10, 31))


def test_demo_ledger_respects_membership_periods(db):
    _network()
    summary = build_demo(seed=3, stdout=io.StringIO(), today=TODAY)
    assert summary["meetings"] > 0 and summary["attendance"] > 0 and summary["trades"] > 0
    periods = {}
    for group_id, firm_id, joined, left in Membership.objects.values_list(
        "group_id", "firm_id", "joined_on", "left_on"
    ):
        periods.setdefault((group_id, firm_id), []).append((joined, left))

    def member(group_id, firm_id, day):
        return any(j <= day and (lft is None or lft > day) for j, lft in periods.get((group_id, firm_id), []))

    members_by_group = {}
    for group_id, firm_id in Membership.objects.values_list("group_id", "firm_id"):
        members_by_group.setdefault(group_id, set()).add(firm_id)
    for meeting in Meeting.objects.all():
        sheet = dict(Attendance.objects.filter(meeting=meeting).values_list("firm_id", "present"))
        assert all(member(meeting.group_id, f, meeting.held_on) for f in sheet)
        expected = {
            f for f in members_by_group[meeting.group_id] if member(meeting.group_id, f, meeting.held_on)
        }
        assert set(sheet) == expected
        assert (meeting.listed_count, meeting.present_count) == (len(sheet), sum(sheet.values()))
        assert meeting.held_on <= datetime.date(2026, 10, 31)
    for trade in Trade.objects.all():
        assert trade.buyer_id != trade.seller_id and trade.amount_krw >= 0
        assert member(trade.group_id, trade.buyer_id, trade.traded_on)
        assert member(trade.group_id, trade.seller_id, trade.traded_on)
    for outcome in Outcome.objects.prefetch_related("firms"):
        assert all(member(outcome.group_id, f.pk, outcome.achieved_on) for f in outcome.firms.all())
    young = ExchangeGroup.objects.get(founded_on=datetime.date(2018, 5, 1))
    assert not young.meetings.filter(held_on__lt=young.founded_on).exists()
    dormant = ExchangeGroup.objects.get(status=ExchangeGroup.Status.DORMANT)
    last = dormant.meetings.aggregate(last=Max("held_on"))["last"]
    assert last is None or last < TODAY - datetime.timedelta(days=92)
    active_2025 = Meeting.objects.filter(held_on__year=2025).exclude(group=dormant).per_group()
    assert all(9 <= row["meetings"] <= 12 for row in active_2025)


def test_demo_is_deterministic_for_a_seed(db):
    _network()
    first = build_demo(seed=3, stdout=io.StringIO(), today=TODAY)
    rows = list(
        Attendance.objects.order_by("meeting__group__code", "meeting__held_on", "firm__brn").values_list(
            "meeting__group__code", "meeting__held_on", "firm__brn", "present"
        )
    )
    Meeting.objects.all().delete()
    Trade.objects.all().delete()
    Outcome.objects.all().delete()
    Activity.objects.all().delete()
    second = build_demo(seed=3, stdout=io.StringIO(), today=TODAY)
    assert first == second
    assert rows == list(
        Attendance.objects.order_by("meeting__group__code", "meeting__held_on", "firm__brn").values_list(
            "meeting__group__code", "meeting__held_on", "firm__brn", "present"
        )
    )
