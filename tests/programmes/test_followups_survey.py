"""Follow-ups (추적조사): planned 1, 2 and 3 years after the end, opened and notified once by
`yunghap send_followups`, answered by the lead firm, shown to staff, and feeding the indicators."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.programmes.progress_support import make_site
from yunghap.activities.models import Outcome
from yunghap.core.models import Notification
from yunghap.programmes.followups import answer_followup, send_followups, years_later
from yunghap.programmes.models import FollowUp, ProgressRules, ResultIndicators

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def site():
    today = timezone.localdate()
    return make_site(
        starts_on=years_later(today, -2) - datetime.timedelta(days=300), ends_on=years_later(today, -2)
    )


def test_planned_opened_and_notified_once(site, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_followups(today=today) == {"planned": 3, "opened": 2}
        assert send_followups(today=today) == {"planned": 0, "opened": 0}
    rows = {f.years_after: f for f in FollowUp.objects.filter(agreement=site.agreement)}
    assert {y: (f.status, f.due_on) for y, f in rows.items()} == {
        1: ("open", years_later(site.agreement.ends_on, 1)),
        2: ("open", today),
        3: ("scheduled", years_later(site.agreement.ends_on, 3)),
    }
    sent = Notification.objects.filter(recipient=site.users["lead"], code="programmes.progress.followup_open")
    assert sorted(n.params["years"] for n in sent) == [1, 2]
    assert sent.first().message.endswith("추적조사(매출·후속 R&D·고용)에 응답해 주세요.")
    assert not Notification.objects.filter(recipient=site.users["partner"]).exists()


def test_years_are_data():
    ProgressRules.objects.create(pk=1, followup_years=[1, 5])
    assert ProgressRules.current().years() == [1, 5]
    assert years_later(D(2024, 2, 29), 1) == D(2025, 2, 28)


def test_an_answer_updates_the_indicators_and_the_ledger(site, django_capture_on_commit_callbacks):
    send_followups()
    first = FollowUp.objects.get(agreement=site.agreement, years_after=1)
    answer_followup(first, actor=site.users["lead"], sales_krw=30_000_000, jobs=2, follow_on_task_number="")
    indicators = ResultIndicators.objects.get(agreement=site.agreement)
    assert (indicators.sales_krw, indicators.jobs) == (30_000_000, 2)
    assert Outcome.objects.filter(agreement=site.agreement).count() == 2  # the lead's two groups
    second = FollowUp.objects.get(agreement=site.agreement, years_after=2)
    answer_followup(
        second,
        actor=site.users["lead"],
        sales_krw=80_000_000,
        jobs=4,
        follow_on_task_number="RS-2026-00412345",
    )
    indicators.refresh_from_db()
    assert (indicators.sales_krw, indicators.jobs, indicators.follow_on_task_number) == (
        80_000_000,
        4,
        "RS-2026-00412345",
    )
    # A late correction of year 1 does not undo year 2's figures.
    first.refresh_from_db()
    answer_followup(first, actor=site.users["lead"], sales_krw=31_000_000, jobs=2)
    indicators.refresh_from_db()
    assert indicators.sales_krw == 80_000_000
    assert "매출 80,000,000원" in Outcome.objects.filter(agreement=site.agreement).first().description


def test_refusals(site):
    send_followups()
    opened = FollowUp.objects.get(agreement=site.agreement, years_after=1)
    scheduled = FollowUp.objects.get(agreement=site.agreement, years_after=3)
    with pytest.raises(PermissionDenied):
        answer_followup(opened, actor=site.users["partner"], sales_krw=1, jobs=1)
    with pytest.raises(ValidationError) as early:
        answer_followup(scheduled, actor=site.users["lead"], sales_krw=1, jobs=1)
    assert early.value.messages == [f"{scheduled.due_on.isoformat()}부터 응답할 수 있습니다."]
    with pytest.raises(ValidationError) as bad:
        answer_followup(opened, actor=site.users["lead"], sales_krw=-5, jobs=1, follow_on_task_number="T-1")
    assert sorted(bad.value.message_dict) == ["follow_on_task_number", "sales_krw"]


def test_answer_page_and_staff_list(client, site):
    send_followups()
    opened = FollowUp.objects.get(agreement=site.agreement, years_after=1)
    client.force_login(site.users["lead"])
    url = reverse("programmes:followup_answer", kwargs={"pk": opened.pk})
    assert client.get(url).status_code == 200
    invalid = client.post(url, {"sales_krw": "", "jobs": "1", "version": opened.version})
    assert invalid.status_code == 200 and FollowUp.objects.get(pk=opened.pk).status == "open"
    done = client.post(
        url,
        {
            "sales_krw": "45000000",
            "jobs": "3",
            "follow_on_task_number": "S3312345",
            "version": opened.version,
        },
    )
    assert done.status_code == 302
    client.force_login(site.users["central"])
    page = client.get(reverse("programmes:report_due_list"))
    assert [f.years_after for f in page.context["answered"]] == [1]
    assert [f.years_after for f in page.context["missing"]] == [2]
    assert "45,000,000원" in page.content.decode()
    client.force_login(site.users["outsider"])
    assert client.get(url).status_code == 404


def test_the_command():
    out = io.StringIO()
    call_command("send_followups", "--date", "2026-01-01", stdout=out)
    assert out.getvalue().strip() == "추적조사 계획 0건, 응답 요청 0건"
