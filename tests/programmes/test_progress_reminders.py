"""`yunghap remind_reports`: before the due date on the days staff set, once overdue, each notice once."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.programmes.progress_support import make_site
from yunghap.core.models import Notification
from yunghap.programmes.models import Agreement, ProgressRules, Report, ReportNotice
from yunghap.programmes.progress_services import remind_reports

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def site():
    return make_site()


def notices(user):
    return list(
        Notification.objects.filter(recipient=user).order_by("id").values_list("code", "params__days")
    )


def test_fourteen_and_three_days_before_then_overdue_each_once(site, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    report = site.report(due_in=20)
    lead = site.users["lead"]
    with django_capture_on_commit_callbacks(execute=True):
        for offset in range(0, 26):  # every day from 20 days before to 5 days after the due date
            remind_reports(today=today + offset * DAY)
            remind_reports(today=today + offset * DAY)  # a second run the same day sends nothing
    assert notices(lead) == [
        ("programmes.progress.report_due_soon", 14),
        ("programmes.progress.report_due_soon", 3),
        ("programmes.progress.report_overdue", None),
    ]
    assert set(ReportNotice.objects.filter(report=report).values_list("notice", flat=True)) == {
        "before:14",
        "before:3",
        "overdue",
    }
    # Partners and staff are not reminded: the lead firm submits.
    assert notices(site.users["partner"]) == []
    text = Notification.objects.filter(recipient=lead).order_by("id").first().message
    assert text == (
        f"{site.agreement.application.ref} 협약의 중간보고 제출 기한이 {report.due_on.isoformat()}입니다(14일 남음)."
    )


def test_the_days_are_data(site, django_capture_on_commit_callbacks):
    ProgressRules.objects.create(pk=1, reminder_days_before=[7])
    today = timezone.localdate()
    site.report(due_in=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reports(today=today) == {"before": 0, "overdue": 0}
        assert remind_reports(today=today + 3 * DAY) == {"before": 1, "overdue": 0}
    assert notices(site.users["lead"]) == [("programmes.progress.report_due_soon", 7)]


def test_a_late_first_run_sends_the_nearest_notice_only(site, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    site.report(due_in=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_reports(today=today) == {"before": 1, "overdue": 0}
    assert notices(site.users["lead"]) == [("programmes.progress.report_due_soon", 2)]


def test_no_reminder_for_submitted_skipped_or_settled(site):
    today = timezone.localdate()
    site.report(status=Report.Status.SUBMITTED, due_in=-5)
    site.report(seq=2, status=Report.Status.SKIPPED, skip_reason="생략", due_in=-5)
    assert remind_reports(today=today) == {"before": 0, "overdue": 0}
    site.report(seq=3, due_in=-5)
    Agreement.objects.filter(pk=site.agreement.pk).update(status=Agreement.Status.SETTLED)
    assert remind_reports(today=today) == {"before": 0, "overdue": 0}


def test_the_command(site):
    site.report(due_in=-1)
    out = io.StringIO()
    call_command("remind_reports", stdout=out)
    assert out.getvalue().strip() == "기한 전 알림 0건, 기한 경과 알림 1건"
    out = io.StringIO()
    call_command("remind_reports", "--date", timezone.localdate().isoformat(), stdout=out)
    assert out.getvalue().strip() == "기한 전 알림 0건, 기한 경과 알림 0건"


def test_the_due_list_shows_due_and_overdue_to_staff(client, site):
    overdue = site.report(due_in=-3)
    soon = site.report(seq=2, due_in=5)
    site.report(seq=3, due_in=90)  # too far off
    client.force_login(site.users["central"])
    page = client.get("/programmes/progress-reports/due/")
    assert page.status_code == 200
    assert [r.pk for r in page.context["reports"]] == [overdue.pk, soon.pk]
    html = page.content.decode()
    assert "3일 경과" in html and "5일" in html
    client.force_login(site.users["lead"])
    assert client.get("/programmes/progress-reports/due/").status_code == 403
