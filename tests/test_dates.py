"""Finding 11 of issue 7: "today" is the day in Seoul, whatever the server's own clock zone is.

A server in UTC reaches midnight nine hours after Seoul. Every reading of "today" (current members, open
postings, export file names, the services' date checks) must use `timezone.localdate()`, or for part of
the day the member list and the services disagree about who is a member.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from yunghap.activities.services import member_ids_on
from yunghap.matching.models import Posting
from yunghap.network.services import validate_membership

UTC = datetime.UTC

# 23:30 in Seoul is 14:30 UTC the same day; 00:30 in Seoul is 15:30 UTC of the day before.
INSTANTS = {
    "23:30 KST": datetime.datetime(2026, 3, 10, 14, 30, tzinfo=UTC),
    "00:30 KST": datetime.datetime(2026, 3, 10, 15, 30, tzinfo=UTC),
}


@pytest.fixture(params=sorted(INSTANTS))
def seoul_clock(request, monkeypatch):
    """Freeze Django's clock at the instant and make the process itself believe it runs in UTC."""
    instant = INSTANTS[request.param]
    monkeypatch.setattr(timezone, "now", lambda: instant)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield timezone.localtime(instant).date()
    monkeypatch.undo()
    time.tzset()


@pytest.mark.django_db
def test_current_members_agree_with_the_services_on_a_utc_server(seoul_clock):
    today = seoul_clock
    tomorrow = today + datetime.timedelta(days=1)
    group = GroupFactory()
    leaves_tomorrow = MembershipFactory(group=group, left_on=tomorrow)  # still a member today
    left_today = MembershipFactory(group=group, left_on=today)  # no longer a member
    joined_today = MembershipFactory(group=group, joined_on=today)  # a member from today

    expected = {leaves_tomorrow.firm_id, joined_today.firm_id}
    from_queryset = set(group.memberships.current().values_list("firm_id", flat=True))
    from_model = {m.firm_id for m in (leaves_tomorrow, left_today, joined_today) if m.is_current()}
    assert from_queryset == from_model == member_ids_on(group, today) == expected

    # The membership rules agree: joining today is allowed, tomorrow is "in the future".
    firm = FirmFactory()
    validate_membership(group, firm, role="member", joined_on=today, left_on=None)
    with pytest.raises(ValidationError) as caught:
        validate_membership(group, firm, role="member", joined_on=tomorrow, left_on=None)
    assert "가입일은 오늘 이후일 수 없습니다." in caught.value.message_dict["joined_on"]


@pytest.mark.django_db
def test_a_posting_expiring_today_in_seoul_is_still_open(seoul_clock):
    today = seoul_clock
    firm = FirmFactory()
    posting = Posting.objects.create(
        firm=firm, kind=Posting.Kind.OFFER, title="금형 제작", description="", expires_on=today
    )
    assert posting.is_open()
    assert list(Posting.objects.open()) == [posting]
    posting.expires_on = today - datetime.timedelta(days=1)
    posting.save()
    assert not posting.is_open()
    assert not Posting.objects.open().exists()


def test_export_file_names_carry_the_seoul_date(seoul_clock):
    from yunghap.core.exports import EXPORTERS

    exporter = EXPORTERS["firms"]()
    assert exporter.filename("xlsx") == f"회원사-{seoul_clock:%Y%m%d}.xlsx"
    assert exporter.filename("xlsx", headers="en") == f"firms-{seoul_clock:%Y%m%d}.xlsx"


def test_no_code_reads_the_process_clock_zone():
    """`date.today()` and naive `datetime.now()` read the process's zone, not Asia/Seoul."""
    import pathlib
    import re

    source = pathlib.Path(__file__).resolve().parent.parent / "src" / "yunghap"
    pattern = re.compile(r"\bdate\.today\(|\bdatetime\.(now|today|utcnow)\(")
    offenders = [
        f"{path.relative_to(source)}:{number}"
        for path in source.rglob("*.py")
        if "migrations" not in path.parts
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
