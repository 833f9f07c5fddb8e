"""The reports/results demo on factory agreements: deterministic, idempotent, through the services."""

from __future__ import annotations

import random

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from tests.programmes.factories import make_agreement
from yunghap.activities.models import Outcome
from yunghap.programmes.demo_progress import build_progress_demo
from yunghap.programmes.models import FollowUp, Report, ResultIndicators

pytestmark = pytest.mark.django_db


def agreements():
    group = GroupFactory(code="demo-prog")
    made = []
    for _ in range(4):
        lead = FirmFactory()
        MembershipFactory(group=group, firm=lead)
        made.append(make_agreement(lead=lead, partners=[FirmFactory()]))
    return made


def state():
    return (
        sorted(Report.objects.values_list("agreement_id", "kind", "status")),
        sorted(
            ResultIndicators.objects.values_list("agreement_id", "sales_krw", "jobs", "follow_on_task_number")
        ),
        sorted(FollowUp.objects.values_list("agreement_id", "status", "sales_krw")),
    )


def test_the_demo_shows_every_step():
    made = agreements()
    counts = build_progress_demo(made, random.Random(7))
    assert counts == {"reports": 4, "graded": 2, "indicators": 2, "followups": 1}
    first, second, third, fourth = (type(a).objects.get(pk=a.pk) for a in made)
    assert (first.grade, first.conduct) == ("excellent", "")
    assert (second.grade, second.conduct) == ("poor", "sincere")
    assert set(first.reports.values_list("status", flat=True)) == {"accepted"}
    assert third.reports.get(kind="interim").status == "submitted" and not third.grade
    assert not fourth.reports.exists()
    answered = FollowUp.objects.get(agreement=first)
    assert answered.status == "answered"
    assert ResultIndicators.objects.get(agreement=first).sales_krw == answered.sales_krw
    assert ResultIndicators.objects.get(agreement=first).follow_on_task_number.startswith("S")
    assert Outcome.objects.filter(agreement__in=[first, second]).count() == 2
    # Idempotent: a second run changes nothing.
    before = state()
    assert build_progress_demo(made, random.Random(7))["reports"] == 0
    assert state() == before


def test_the_demo_is_deterministic(django_db_blocker):
    made = agreements()
    build_progress_demo(made, random.Random(7))
    values = ResultIndicators.objects.get(agreement=made[0]).patent_numbers
    rng = random.Random(7)
    assert values == "10-2026-00" + str(rng.randint(10000, 99999))
