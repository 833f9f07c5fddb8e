"""`yunghap proposals_remind`: the 30-day notice to the author of a proposal still open, exactly once; staff
are told once of each overdue proposal; reads never write (the due date is computed, not stored)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.helpers import assert_no_writes
from tests.proposals.factories import make_proposal
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.core.models import Notification
from yunghap.proposals import services
from yunghap.proposals.models import PolicyProposal

pytestmark = pytest.mark.django_db


def _aged(proposal: PolicyProposal, days: int) -> PolicyProposal:
    PolicyProposal.objects.filter(pk=proposal.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=days)
    )
    return PolicyProposal.objects.get(pk=proposal.pk)


def _run(**options: str) -> str:
    out = StringIO()
    call_command("proposals_remind", stdout=out, **options)
    return out.getvalue()


def test_the_30_day_notice_goes_once_to_the_author_of_an_open_proposal(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    old = _aged(make_proposal(firm, staff=central, state="in_review", title="오래된 건의"), 31)
    _aged(make_proposal(firm, staff=central, title="새 건의"), 29)
    _aged(make_proposal(firm, staff=central, state="published", title="답변된 건의"), 40)
    _aged(make_proposal(firm, staff=central, state="withdrawn", title="철회된 건의"), 40)
    Notification.objects.all().delete()
    assert _run() == "30일 안내 1건, 기한 초과 안내 2건을 보냈습니다.\n"
    notice = Notification.objects.get(recipient=firm, code="proposals.still_open")
    assert notice.params == {"title": "오래된 건의"}
    assert notice.link == reverse("proposals:detail", args=[old.pk])
    assert "30일이 지났지만" in notice.message
    overdue = Notification.objects.filter(recipient=central, code="proposals.overdue")
    assert sorted(n.params["title"] for n in overdue) == ["새 건의", "오래된 건의"]
    assert _run() == "30일 안내 0건, 기한 초과 안내 0건을 보냈습니다.\n"
    assert Notification.objects.filter(code="proposals.still_open").count() == 1


def test_a_date_in_the_future_reaches_the_30th_day(network):  # noqa: F811
    make_proposal(network.users["firm"], staff=network.users["central"])
    later = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    assert _run(date=later).startswith("30일 안내 1건")


def test_support_does_not_spare_a_proposal_the_notices(network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = _aged(make_proposal(firm, staff=central, is_public=True), 31)
    services.support_proposal(p, actor=central)
    assert _run() == "30일 안내 1건, 기한 초과 안내 1건을 보냈습니다.\n"


def test_pages_read_the_clock_without_writing(client, network):  # noqa: F811
    firm, central = network.users["firm"], network.users["central"]
    p = _aged(make_proposal(firm, staff=central, is_public=True), 31)
    client.force_login(central)
    with assert_no_writes(allowed_tables=("core_accesslog", "core_accesslogtarget")):
        for url in (
            reverse("proposals:manage"),
            reverse("proposals:detail", args=[p.pk]),
            reverse("proposals:list"),
        ):
            assert client.get(url).status_code == 200
    p.refresh_from_db()
    assert p.author_reminded_at is None and p.overdue_notified_at is None
