"""The programmes' demo data: what it holds, that it follows the shared rules, that a second run changes
nothing, and that `demo --reset` can still delete the network under it.

The network demo is built once for this module inside a transaction rolled back at the end (as in
test_demo.py); the programmes part is then built on it directly."""

from __future__ import annotations

import io
import time
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db import transaction

from tests.conftest import refill_reference_data
from yunghap.accounts.models import Role, RoleGrant
from yunghap.network.demo import DEFAULT_SEED, DEMO_PASSWORD
from yunghap.programmes import demo as programmes_demo
from yunghap.programmes import models as m
from yunghap.programmes.conflicts import conflict_map
from yunghap.programmes.rules import check_application


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--network-only", stdout=io.StringIO())
            out = io.StringIO()
            started = time.perf_counter()
            programmes_demo.build_demo(seed=DEFAULT_SEED, stdout=out)
            yield {"output": out.getvalue(), "seconds": time.perf_counter() - started}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


pytestmark = [pytest.mark.usefixtures("built"), pytest.mark.django_db]
MODELS = [
    m.Topic,
    m.Call,
    m.CallRevision,
    m.Consortium,
    m.ConsortiumMember,
    m.Application,
    m.ApplicationBudgetLine,
    m.ApplicationRevision,
    m.Reviewer,
    m.DeclaredConflict,
    m.ReviewAssignment,
    m.Review,
    m.PrePlanningNote,
    m.SelectionDecision,
]


def snapshot() -> dict[str, object]:
    state: dict[str, object] = {model.__name__: model.objects.count() for model in MODELS}
    state["applications"] = list(
        m.Application.objects.order_by("ref").values_list(
            "ref",
            "consortium__lead__brn",
            "government_krw",
            "firm_cash_krw",
            "firm_inkind_krw",
            "eligibility",
        )
    )
    state["reviews"] = list(
        m.Review.objects.order_by("application__ref", "reviewer__user__username").values_list(
            "application__ref", "reviewer__user__username", "score"
        )
    )
    return state


def test_the_programme_is_there_and_fast(built):
    # About 2.5 s on PostgreSQL on an idle two-core machine; the bound leaves room for a busy one.
    assert built["seconds"] < 10
    assert "지원사업: 유망과제 10개" in built["output"] and "partner(참여기업" in built["output"]
    statuses = Counter(m.Topic.objects.values_list("status", flat=True))
    assert statuses == {"leading": 4, "accepted": 2, "proposed": 2, "rejected": 2}
    call = m.Call.objects.get(code="2026-rnd")
    assert call.is_open() and call.topics.count() == 3
    assert not m.Call.objects.get(code="2025-rnd").is_open()
    assert (call.budget_krw, call.quota, call.grant_cap_krw) == (1_000_000_000, 50, 20_000_000)
    applications = list(call.applications.order_by("ref"))
    assert len(applications) == 15
    ineligible = {
        a.ref: [b["code"] for b in a.breaches] for a in applications if a.eligibility == "ineligible"
    }
    assert sorted(ineligible.values()) == [["cash_share"], ["divisions"], ["grant_cap"]]
    draft = [a for a in applications if a.status == "draft"]
    assert len(draft) == 1
    assert draft[0].consortium.members.filter(state="invited").count() == 1
    assert not m.SelectionDecision.objects.filter(call=call).exists()


def test_every_stored_eligibility_is_what_the_rules_say():
    for application in m.Application.objects.filter(status="submitted").select_related("call"):
        found = [b.as_data() for b in check_application(application)]
        assert application.breaches == found, application.ref
        assert application.eligibility == ("ineligible" if found else "eligible")
        lines = application.budget_lines.all()
        assert sum(line.government_krw for line in lines) == application.government_krw
        assert sum(line.firm_cash_krw for line in lines) == application.firm_cash_krw
        assert sum(line.firm_inkind_krw for line in lines) == application.firm_inkind_krw


def test_partners_come_from_other_industries_and_no_firm_is_in_two():
    # In two calls a firm may be in two consortia (the demo firm leads one in 2025 and one in 2026).
    places = Counter(m.ConsortiumMember.objects.values_list("consortium__call_id", "firm_id"))
    assert max(places.values()) == 1
    for application in m.Application.objects.all():
        if "divisions" in [b["code"] for b in application.breaches]:
            continue
        divisions = [
            p.firm.industry.code for p in application.consortium.members.select_related("firm__industry")
        ]
        assert len(set(divisions)) == len(divisions), application.ref


def test_reviewers_are_assigned_without_conflicts_and_some_reviews_are_missing():
    reviewers = list(m.Reviewer.objects.all())
    assert len(reviewers) == 8
    eligible = list(m.Application.objects.filter(eligibility="eligible", call__code="2026-rnd"))
    conflicts = conflict_map(reviewers, eligible)
    assert conflicts  # one affiliated reviewer, one declared conflict
    assignments = list(m.ReviewAssignment.objects.all())
    assert all((a.reviewer_id, a.application_id) not in conflicts for a in assignments)
    per_application = Counter(a.application_id for a in assignments)
    assert set(per_application.values()) == {5} and set(per_application) == {a.pk for a in eligible}
    load = Counter(a.reviewer_id for a in assignments).values()
    assert max(load) - min(load) <= 1
    reviews = Counter(m.Review.objects.values_list("application_id", flat=True))
    assert sorted(reviews[a.pk] for a in eligible) == [3, 3] + [5] * (len(eligible) - 2)
    for review in m.Review.objects.all():
        assert review.score == sum(review.criterion_scores.values()) and review.comment


def test_the_demo_logins_work():
    for username in ("partner", "reviewer2", "reviewer8"):
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    partner_firm = RoleGrant.objects.get(user__username="partner", role=Role.FIRM_USER).firm
    first = m.Application.objects.get(ref="2026-rnd-001")
    assert first.consortium.members.filter(firm=partner_firm, state="accepted").exists()
    lead = RoleGrant.objects.get(user__username="firm", role=Role.FIRM_USER).firm
    assert first.consortium.lead == lead
    assert m.PrePlanningNote.objects.filter(application=first, author__username="coordinator").exists()


def test_a_second_run_changes_nothing():
    before = snapshot()
    out = io.StringIO()
    programmes_demo.build_demo(seed=DEFAULT_SEED, stdout=out)
    assert "이미 있어" in out.getvalue()
    assert snapshot() == before


def test_reset_deletes_the_programme_under_the_network_last():
    # Last in the module: it replaces the network (consortia protect their firms; reset_demo goes first).
    call_command("demo", "--reset", "--yes", "--network-only", stdout=io.StringIO())
    assert not m.Application.objects.exists() and not m.Call.objects.exists()
