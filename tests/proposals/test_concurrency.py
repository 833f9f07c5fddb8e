"""Proposals under concurrency (PostgreSQL, two connections): two supports of one user make one; reports
arriving together hide the proposal exactly once, at the third (a later one is refused); the 30-day notice run twice at once sends one."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from tests.factories import make_user
from tests.helpers import at_once
from tests.proposals.factories import make_proposal
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.proposals import services
from yunghap.proposals.models import PolicyProposal, ProposalSupport
from yunghap.proposals.reminders import send_reminders

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def test_two_supports_of_one_user_at_once_make_one(network):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"], is_public=True)
    fan = network.users["officer"]
    results = at_once(
        lambda: services.support_proposal(PolicyProposal.objects.get(pk=p.pk), actor=fan),
        lambda: services.support_proposal(PolicyProposal.objects.get(pk=p.pk), actor=fan),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == ["이미 공감한 건의입니다."]
    assert ProposalSupport.objects.filter(proposal=p, user=fan).count() == 1


def test_reports_arriving_together_hide_once_at_the_third(network):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"], is_public=True)
    services.report_proposal(p, actor=network.users["seoul"], reason="광고")
    others = [make_user(f"reporter{i}", Role.FIRM_USER, firm=network.chair_firm) for i in range(3)]
    results = at_once(
        *[
            (
                lambda who: (
                    lambda: services.report_proposal(
                        PolicyProposal.objects.get(pk=p.pk), actor=who, reason="광고"
                    )
                )
            )(u)
            for u in others
        ]
    )
    # The row lock orders them: two more reach the third report and hide it; the last finds it hidden.
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(refused) == 1 and refused[0].messages == ["공개된 건의에만 신고를 할 수 있습니다."]
    p.refresh_from_db()
    assert p.moderation == "pending" and p.reports.count() == 3
    hid = AuditLog.objects.filter(
        action="proposals.proposal.report", object_id=str(p.pk), changes__moderation="pending"
    )
    assert hid.count() == 1


def test_two_reminder_runs_at_once_notify_the_author_once(network):  # noqa: F811
    p = make_proposal(network.users["firm"], staff=network.users["central"])
    PolicyProposal.objects.filter(pk=p.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=31))
    at_once(send_reminders, send_reminders)
    assert Notification.objects.filter(code="proposals.still_open").count() == 1
    assert (
        Notification.objects.filter(code="proposals.overdue", recipient=network.users["central"]).count() == 1
    )
