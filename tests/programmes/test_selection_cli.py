"""`yunghap select --call CODE [--commit] --format json` end to end: the printed proposal, the record a
commit writes, a second commit refused, and the handful of queries the proposal reads."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.factories import FirmFactory
from tests.programmes.factories import make_application, make_call, make_review, make_reviewer
from yunghap.core.models import AuditLog
from yunghap.programmes import selection
from yunghap.programmes.models import Application, SelectionDecision, SelectionResult

pytestmark = pytest.mark.django_db
T0 = timezone.now() - datetime.timedelta(days=20)


@pytest.fixture
def closed_call():
    today = timezone.localdate()
    return make_call(
        code="c-sel",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=10),
        budget_krw=50_000_000,
        quota=3,
    )


@pytest.fixture
def reviewers():
    return [make_reviewer(f"sel-rev{i}") for i in range(5)]


def application(call, reviewers, ref, scores, *, government=20_000_000, minutes=0, **fields):
    app = make_application(
        call,
        FirmFactory(),
        government=government,
        cash=government // 3,
        inkind=0,
        ref=ref,
        submitted_at=T0 + datetime.timedelta(minutes=minutes),
        **fields,
    )
    for reviewer, score in zip(reviewers, scores, strict=False):
        make_review(app, reviewer, score)
    return app


@pytest.fixture
def filled(closed_call, reviewers):
    call = closed_call
    application(call, reviewers, "A", (60, 70, 71, 72, 100))  # trimmed: 71.00
    application(call, reviewers, "B", (90,) * 5)
    application(call, reviewers, "C", (85,) * 5, minutes=2)
    application(call, reviewers, "C2", (85,) * 5, minutes=1)  # same score, same request, earlier
    application(call, reviewers, "D", (80,) * 5, government=10_000_000)
    application(call, reviewers, "E", (95,) * 4)  # one review short
    application(call, reviewers, "I", (50,) * 5)
    application(
        call,
        reviewers,
        "F",
        (),
        eligibility=Application.Eligibility.INELIGIBLE,
        breaches=[{"code": "government_share", "params": {"share": "80.00", "max": "75"}}],
    )
    application(call, reviewers, "G", (), status=Application.Status.DRAFT)
    application(call, reviewers, "H", (99,) * 5, status=Application.Status.WITHDRAWN)
    return call


def run(*args):
    out = io.StringIO()
    call_command("select", *args, stdout=out)
    return out.getvalue()


EXPECTED = {
    "call": "c-sel",
    "budget_krw": 50_000_000,
    "quota": 3,
    "government_total_krw": 50_000_000,
    "selected": [
        {"ref": "B", "rank": 1, "score": 90.0, "government_krw": 20_000_000},
        {"ref": "C2", "rank": 2, "score": 85.0, "government_krw": 20_000_000},
        {"ref": "D", "rank": 3, "score": 80.0, "government_krw": 10_000_000},
    ],
    # In ranking order (score down), whatever the reason.
    "not_selected": [
        {"ref": "E", "score": 95.0, "reason": "incomplete_review"},
        {"ref": "C", "score": 85.0, "reason": "budget"},
        {"ref": "A", "score": 71.0, "reason": "quota"},
        {"ref": "I", "score": 50.0, "reason": "below_pass"},
    ],
    "ineligible": [{"ref": "F", "rules": ["government_share"]}],
}


def test_select_prints_the_proposal(filled):
    text = run("--call", "c-sel", "--format", "json")
    assert json.loads(text) == EXPECTED
    assert '"score": 90.00' in text and '"score": 71.00' in text
    assert not SelectionDecision.objects.exists()


def test_commit_records_it_once_and_a_second_commit_is_refused(filled):
    printed = run("--call", "c-sel", "--commit", "--format", "json")
    assert json.loads(printed) == EXPECTED
    decision = SelectionDecision.objects.get(call=filled)
    assert decision.decided_by is None  # the system
    assert decision.proposal == EXPECTED
    assert decision.rules_revision == filled.revision == 1
    assert decision.rules["budget_krw"] == 50_000_000 and decision.rules["pass_score"] == "70.00"
    assert decision.government_total_krw == 50_000_000
    results = {
        r.application.ref: (r.outcome, r.rank, r.score, r.reason, r.rules)
        for r in SelectionResult.objects.select_related("application")
    }
    assert results == {
        "B": ("selected", 1, Decimal("90.00"), "", []),
        "C2": ("selected", 2, Decimal("85.00"), "", []),
        "D": ("selected", 3, Decimal("80.00"), "", []),
        "C": ("not_selected", None, Decimal("85.00"), "budget", []),
        "A": ("not_selected", None, Decimal("71.00"), "quota", []),
        "I": ("not_selected", None, Decimal("50.00"), "below_pass", []),
        "E": ("not_selected", None, Decimal("95.00"), "incomplete_review", []),
        "F": ("ineligible", None, None, "", ["government_share"]),
    }
    assert AuditLog.objects.filter(action="programmes.selection.decide").count() == 1

    with pytest.raises(CommandError) as refused:
        run("--call", "c-sel", "--commit", "--format", "json")
    assert str(refused.value) == "c-sel 공모의 선정 결과는 이미 확정되었습니다."
    again = SelectionDecision.objects.get(call=filled)
    assert (again.pk, again.decided_at, again.proposal) == (decision.pk, decision.decided_at, EXPECTED)
    assert SelectionResult.objects.count() == 8
    assert AuditLog.objects.filter(action="programmes.selection.decide").count() == 1


def test_an_open_call_is_proposed_but_not_committed(reviewers):
    call = make_call(code="c-still-open")
    application(call, reviewers, "X", (80,) * 5)
    assert json.loads(run("--call", "c-still-open"))["selected"][0]["ref"] == "X"
    with pytest.raises(CommandError) as refused:
        run("--call", "c-still-open", "--commit")
    assert "접수 중인 공모는 선정을 확정할 수 없습니다" in str(refused.value)
    assert not SelectionDecision.objects.exists()


def test_unknown_call():
    with pytest.raises(CommandError) as refused:
        run("--call", "nope")
    assert str(refused.value) == "공모를 찾을 수 없습니다: nope"


def test_propose_reads_in_two_queries_whatever_the_number(filled, django_assert_num_queries):
    with django_assert_num_queries(2):
        proposal = selection.propose(filled)
    assert len(proposal["selected"]) == 3
