"""Statistics consistency: an agreement's results, recorded here, count as the groups' convergence R&D
results in the survey's observed figures and on the trend page — checked against a slow recomputation from
the raw Outcome rows, through a change, an update and a removal."""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.programmes.progress_support import make_site
from yunghap.activities import services as ledger
from yunghap.activities.models import Outcome
from yunghap.insights.figures import ensure_fresh, refresh_group_months
from yunghap.insights.selectors import observed_by_group
from yunghap.programmes.result_services import record_indicators
from yunghap.surveys.selectors import ledger_year_figures

pytestmark = pytest.mark.django_db

RESULT = {
    "prototypes": 0,
    "patents_applied": 1,
    "patents_registered": 1,
    "patent_numbers": "",
    "sales_krw": 50_000_000,
    "jobs": 2,
    "follow_on_task_number": "RS-2026-00412345",
    "follow_on_title": "후속 과제",
}
NONE = dict.fromkeys(RESULT, 0) | {"patent_numbers": "", "follow_on_task_number": "", "follow_on_title": ""}


def slow_results(year: int, *, before: datetime.date | None = None) -> Counter[int]:
    """Each group's results of the year (before a date, if given), counted one row at a time in Python."""
    counts: Counter[int] = Counter()
    for outcome in Outcome.objects.all():
        if outcome.achieved_on.year == year and (before is None or outcome.achieved_on < before):
            counts[outcome.group_id] += 1
    return counts


def last_month_day() -> datetime.date:
    """A day of last month: the trend page shows complete months only."""
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def check(site, client, year: int) -> None:
    ensure_fresh()  # what the rebuild task does after the services' marks (a GET never rebuilds)
    slow = slow_results(year)
    groups = [site.group_a.pk, site.group_b.pk]
    observed = observed_by_group(year)
    assert {gid: observed[gid].outcomes for gid in groups if gid in observed} == {
        gid: slow[gid] for gid in groups if gid in observed
    }
    assert all(observed[gid].outcomes == slow[gid] for gid in groups)
    survey = ledger_year_figures(year, groups)
    assert {gid: survey[gid]["rnd_results"] for gid in groups} == {gid: slow[gid] for gid in groups}
    client.force_login(site.users["central"])
    page = client.get(reverse("insights:trends"), {"from": year, "to": year, "period": "yearly"})
    assert page.status_code == 200
    [row] = page.context["rows"]
    complete = slow_results(year, before=timezone.localdate().replace(day=1))
    assert row["outcomes"] == sum(complete.values())


def test_results_count_in_observed_figures_and_trends(client, site_with_ledger):
    site = site_with_ledger
    recorded_on = last_month_day()
    year = recorded_on.year
    check(site, client, year)
    before = sum(slow_results(year).values())
    record_indicators(site.agreement, actor=site.users["lead"], values=RESULT, today=recorded_on)
    assert sum(slow_results(year).values()) == before + 2  # one per group of the lead firm
    check(site, client, year)
    observed = observed_by_group(year)
    assert observed[site.group_b.pk].outcomes == 1
    # An update (a follow-up years later) changes the rows, not the counts; zeros remove the result.
    record_indicators(site.agreement, actor=site.users["central"], values={**RESULT, "sales_krw": 90_000_000})
    check(site, client, year)
    record_indicators(site.agreement, actor=site.users["central"], values=NONE)
    check(site, client, year)
    assert observed_by_group(year)[site.group_b.pk].outcomes == 0


@pytest.fixture
def site_with_ledger(db):
    site = make_site()
    today = last_month_day()
    # The ledger has a meeting and a result of its own this year, so the figures start before January.
    ledger.record_meeting(
        site.group_a, actor=None, held_on=today.replace(month=1, day=5), present_firm_ids=[site.lead.pk]
    )
    ledger.record_outcome(
        site.group_a,
        actor=None,
        kind="patent",
        title="교류회 자체 특허",
        achieved_on=today.replace(month=1, day=10),
        firms=[site.lead],
    )
    refresh_group_months()
    return site
