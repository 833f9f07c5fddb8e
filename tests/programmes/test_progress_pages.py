"""The agreement's reports page and staff's due list: query counts do not grow with the rows, and the
pages read in English for English readers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.programmes.progress_support import make_site
from yunghap.programmes.models import FollowUp, Report

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_do_not_grow_with_rows(client):
    site = make_site()
    site.report()
    client.force_login(site.users["central"])
    page = reverse("programmes:agreement_reports", kwargs={"pk": site.agreement.pk})
    due = reverse("programmes:report_due_list")
    one = queries(client, page), queries(client, due)
    for seq in range(2, 8):
        site.report(seq=seq, due_in=-seq, status=Report.Status.SCHEDULED)
    for years in (1, 2, 3):
        FollowUp.objects.create(
            agreement=site.agreement, years_after=years, due_on=site.agreement.ends_on, status="open"
        )
    many = queries(client, page), queries(client, due)
    assert many == one
    assert one[0] <= 20 and one[1] <= 15


def test_the_pages_in_english(client):
    site = make_site()
    site.report(due_in=-2)
    client.force_login(site.users["lead"])
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("programmes:agreement_reports", kwargs={"pk": site.agreement.pk})
    ).content.decode()
    assert "Progress reports" in html and "Result indicators" in html and "Follow-up surveys" in html
    assert "overdue" in html and "Interim report no. 1" in html
