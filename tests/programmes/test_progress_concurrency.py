"""Reports, results and follow-ups under concurrency (PostgreSQL, two connections): two staff accepting
one report at once accept it once; two reminder runs at once send each notice once; two first recordings
of the results at once make one indicators row and one Outcome per group; two follow-up runs open once."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.progress_support import make_site
from tests.write_once_support import COMMITTED_ROWS, postgres_only
from yunghap.accounts.models import Role
from yunghap.activities.models import Outcome
from yunghap.core.models import AuditLog, Notification
from yunghap.programmes import progress_services as services
from yunghap.programmes.followups import send_followups, years_later
from yunghap.programmes.models import FollowUp, Report, ReportNotice, ResultIndicators
from yunghap.programmes.result_services import record_indicators

pytestmark = [postgres_only, COMMITTED_ROWS]


def test_two_staff_accepting_one_report_accept_once():
    site = make_site()
    report = site.report(status=Report.Status.SUBMITTED)
    other = make_user("central-2", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: services.review_report(report, actor=site.users["central"], accept=True),
        lambda: services.review_report(report, actor=other, accept=False, comment="보완"),
    )
    assert sum(isinstance(r, Report) for r in results) == 1
    assert sum(isinstance(r, ValidationError) for r in results) == 1  # stale, or refused in its new state
    assert AuditLog.objects.filter(action="programmes.report.update", object_id=str(report.pk)).count() == 1


def test_two_reminder_runs_send_each_notice_once():
    site = make_site()
    site.report(due_in=-1)
    site.report(seq=2, due_in=3)
    at_once(remind_reports_now, remind_reports_now)
    assert ReportNotice.objects.count() == 2
    assert Notification.objects.filter(recipient=site.users["lead"]).count() == 2


def remind_reports_now():
    return services.remind_reports(today=timezone.localdate())


VALUES = {
    "prototypes": 1,
    "patents_applied": 0,
    "patents_registered": 0,
    "patent_numbers": "",
    "sales_krw": 1_000_000,
    "jobs": 1,
    "follow_on_task_number": "",
    "follow_on_title": "",
}


def test_two_first_recordings_make_one_result_per_group():
    site = make_site()
    results = at_once(
        lambda: record_indicators(site.agreement, actor=site.users["lead"], values=VALUES),
        lambda: record_indicators(site.agreement, actor=site.users["central"], values=VALUES),
    )
    assert all(isinstance(r, ResultIndicators) for r in results), results
    assert ResultIndicators.objects.count() == 1
    assert Outcome.objects.filter(agreement=site.agreement).count() == 2


def test_two_followup_runs_open_once():
    today = timezone.localdate()
    site = make_site(
        starts_on=years_later(today, -1) - datetime.timedelta(days=200), ends_on=years_later(today, -1)
    )
    at_once(send_followups, send_followups)
    assert FollowUp.objects.filter(agreement=site.agreement).count() == 3
    assert FollowUp.objects.filter(status=FollowUp.Status.OPEN).count() == 1
    assert (
        Notification.objects.filter(
            recipient=site.users["lead"], code="programmes.progress.followup_open"
        ).count()
        == 1
    )
