"""The selection rule on plain rows (no database): ties, the skip of what does not fit, the quota, the
reasons in their order, the trimmed mean, and a property test over random calls."""

from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from yunghap.programmes.models.calls import DEFAULT_RULES
from yunghap.programmes.rules import CallRules
from yunghap.programmes.selection import Row, proposal_json, select

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def rules(**changes) -> CallRules:
    return dataclasses.replace(CallRules(**DEFAULT_RULES), **changes)


def row(ref, scores=(80, 80, 80, 80, 80), government=20_000_000, minutes=0, eligible=True, breaks=()):
    return Row(
        ref=ref,
        eligible=eligible,
        rules=tuple(breaks),
        scores=tuple(Decimal(str(s)) for s in scores),
        government_krw=government,
        submitted_at=T0 + datetime.timedelta(minutes=minutes),
    )


def refs(proposal, key="selected"):
    return [item["ref"] for item in proposal[key]]


def test_ties_go_to_the_smaller_request_then_the_earlier_submission_then_the_ref():
    proposal = select(
        [
            row("a-late", government=15_000_000, minutes=5),
            row("b-big", government=20_000_000, minutes=0),
            row("c-early", government=15_000_000, minutes=1),
            row("d-same-time", government=15_000_000, minutes=1),
            row("e-best", scores=(90,) * 5, government=20_000_000, minutes=9),
        ],
        rules(),
        call="c1",
    )
    assert refs(proposal) == ["e-best", "c-early", "d-same-time", "a-late", "b-big"]
    assert [item["rank"] for item in proposal["selected"]] == [1, 2, 3, 4, 5]


def test_ranking_uses_the_rounded_score():
    # 80.004 and 80.001 both round to 80.00: a tie, broken by the smaller request.
    proposal = select(
        [row("high", scores=(80.004,), government=20_000_000), row("low", scores=(80.001,), government=1)],
        rules(reviews_per_application=1),
        call="c1",
    )
    assert refs(proposal) == ["low", "high"]
    assert [item["score"] for item in proposal["selected"]] == [Decimal("80.00"), Decimal("80.00")]


def test_one_that_does_not_fit_the_budget_left_is_skipped_and_a_later_smaller_one_funded():
    proposal = select(
        [
            row("first", scores=(95,) * 5, government=20_000_000),
            row("too-big", scores=(90,) * 5, government=20_000_000),
            row("fits", scores=(85,) * 5, government=10_000_000),
            row("no-money-left", scores=(84,) * 5, government=1),
        ],
        rules(budget_krw=30_000_000),
        call="c1",
    )
    assert refs(proposal) == ["first", "fits"]
    assert proposal["government_total_krw"] == 30_000_000
    assert proposal["not_selected"] == [
        {"ref": "too-big", "score": Decimal("90.00"), "reason": "budget"},
        {"ref": "no-money-left", "score": Decimal("84.00"), "reason": "budget"},
    ]


def test_quota_reached_comes_before_budget():
    proposal = select(
        [row(f"r{i}", scores=(90 - i,) * 5, government=10_000_000) for i in range(4)]
        + [row("huge", scores=(70,) * 5, government=900_000_000)],
        rules(quota=2, budget_krw=100_000_000),
        call="c1",
    )
    assert refs(proposal) == ["r0", "r1"]
    assert [(item["ref"], item["reason"]) for item in proposal["not_selected"]] == [
        ("r2", "quota"),
        ("r3", "quota"),
        ("huge", "quota"),
    ]


def test_trimmed_mean_with_exactly_five_reviews():
    # 60 and 100 dropped: (70 + 71 + 72) / 3 = 71.00, over the pass score 70 (the plain mean, 74.6, is not used).
    proposal = select([row("five", scores=(60, 70, 71, 72, 100))], rules(), call="c1")
    assert proposal["selected"] == [
        {"ref": "five", "rank": 1, "score": Decimal("71.00"), "government_krw": 20_000_000}
    ]
    # Four reviews of a call asking four: the plain mean, half up (70.125 → 70.13).
    four = select([row("four", scores=(70, 70, 70, 70.5))], rules(reviews_per_application=4), call="c1")
    assert four["selected"][0]["score"] == Decimal("70.13")


def test_reasons_come_in_order_incomplete_review_then_below_pass():
    proposal = select(
        [
            row("incomplete-low", scores=(10, 10, 10, 10)),  # both incomplete and under 70: incomplete first
            row("none", scores=()),
            row("below", scores=(69.99,) * 5),
            row("exactly-pass", scores=(70,) * 5),
            row("bad", eligible=False, breaks=("government_share", "members"), scores=(99,) * 5),
        ],
        rules(),
        call="c1",
    )
    assert refs(proposal) == ["exactly-pass"]
    assert proposal["not_selected"] == [
        {"ref": "below", "score": Decimal("69.99"), "reason": "below_pass"},
        {"ref": "incomplete-low", "score": Decimal("10.00"), "reason": "incomplete_review"},
        {"ref": "none", "score": None, "reason": "incomplete_review"},
    ]
    assert proposal["ineligible"] == [{"ref": "bad", "rules": ["government_share", "members"]}]


def test_the_printed_json_has_two_decimals_and_the_exact_keys():
    proposal = select([row("a", scores=(85.5,) * 5), row("b", scores=())], rules(), call="c-x")
    text = proposal_json(proposal)
    assert '"score": 85.50' in text and '"score": null' in text
    assert json.loads(text) == {
        "call": "c-x",
        "budget_krw": 1_000_000_000,
        "quota": 50,
        "government_total_krw": 20_000_000,
        "selected": [{"ref": "a", "rank": 1, "score": 85.5, "government_krw": 20_000_000}],
        "not_selected": [{"ref": "b", "score": None, "reason": "incomplete_review"}],
        "ineligible": [],
    }


# --- the property: never over budget or quota, the same whatever the order of the rows -------------------

score = st.integers(min_value=0, max_value=10_000).map(lambda n: Decimal(n) / 100)
rows_strategy = st.lists(
    st.builds(
        lambda ref, scores, government, minutes, eligible: Row(
            ref=f"r{ref:03d}",
            eligible=eligible,
            rules=() if eligible else ("members",),
            scores=tuple(scores),
            government_krw=government,
            submitted_at=T0 + datetime.timedelta(minutes=minutes),
        ),
        st.integers(min_value=0, max_value=999),
        st.lists(score, max_size=7),
        # Few distinct amounts and times: ties are common.
        st.sampled_from([0, 1, 5_000_000, 10_000_000, 15_000_000, 20_000_000, 20_000_001]),
        st.integers(min_value=0, max_value=3),
        st.booleans(),
    ),
    max_size=40,
    unique_by=lambda r: r.ref,
)
rules_strategy = st.builds(
    lambda budget, quota, reviews, pass_score: rules(
        budget_krw=budget, quota=quota, reviews_per_application=reviews, pass_score=pass_score
    ),
    st.integers(min_value=1, max_value=80_000_000),
    st.integers(min_value=1, max_value=8),
    st.integers(min_value=1, max_value=5),
    st.sampled_from([Decimal("0"), Decimal("50"), Decimal("70"), Decimal("70.5")]),
)


@settings(max_examples=300, deadline=None)
@given(rows_strategy, rules_strategy, st.randoms(use_true_random=False))
def test_never_over_budget_or_quota_and_the_same_in_any_order(rows, call_rules, random):
    proposal = select(rows, call_rules, call="c1")
    shuffled = list(rows)
    random.shuffle(shuffled)
    assert select(shuffled, call_rules, call="c1") == proposal
    assert select(list(reversed(rows)), call_rules, call="c1") == proposal

    selected = proposal["selected"]
    assert len(selected) <= call_rules.quota
    assert proposal["government_total_krw"] == sum(item["government_krw"] for item in selected)
    assert proposal["government_total_krw"] <= call_rules.budget_krw
    # Every row lands in exactly one list.
    listed = refs(proposal) + refs(proposal, "not_selected") + refs(proposal, "ineligible")
    assert sorted(listed) == sorted(r.ref for r in rows)
    # Ranks follow the rounded score down; nothing selected is under the pass score or short of reviews.
    assert [item["rank"] for item in selected] == list(range(1, len(selected) + 1))
    scores = [item["score"] for item in selected]
    assert scores == sorted(scores, reverse=True)
    assert all(s >= call_rules.pass_score for s in scores)
    by_ref = {r.ref: r for r in rows}
    assert all(len(by_ref[item["ref"]].scores) >= call_rules.reviews_per_application for item in selected)
    # A budget skip really did not fit, and a quota refusal means the quota was full.
    left = call_rules.budget_krw - proposal["government_total_krw"]
    for item in proposal["not_selected"]:
        if item["reason"] == "budget":
            assert by_ref[item["ref"]].government_krw > left
        if item["reason"] == "quota":
            assert len(selected) == call_rules.quota
