"""The programme objects of the permission matrix's world (and of other walkers of every URL).

One of each kind the programme URLs take, around the web tests' network: the member firm (whose user is
the `firm` persona) leads a consortium with the Seoul chair firm and the other Seoul group's firm, in an
open call; the `reviewer` persona reviews it. Helpers of later areas add their objects at the end."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.programmes.factories import (
    assign,
    make_application,
    make_call,
    make_review,
    make_reviewer,
    make_topic,
)
from yunghap.network.models import Firm
from yunghap.programmes.models import Application, ConsortiumMember, DeclaredConflict, Topic


def programmes_world(w: dict[str, Any], network: Any) -> dict[str, Any]:
    users = w["users"]
    proposed_topic = make_topic(
        code="t-proposed",
        status=Topic.Status.PROPOSED,
        proposed_by=users["firm"],
        proposer_firm=network.member_firm,
    )
    leading_topic = make_topic(code="t-leading", status=Topic.Status.LEADING)
    call = make_call(code="c-open")
    call.topics.add(leading_topic)
    today = timezone.localdate()
    draft_call = make_call(
        code="c-draft",
        published=False,
        opens_on=today + datetime.timedelta(days=30),
        closes_on=today + datetime.timedelta(days=60),
    )
    application = make_application(
        call,
        network.member_firm,
        [network.chair_firm, Firm.objects.get(name="구로전자")],
        topic=leading_topic,
        ref="c-open-001",
    )
    reviewer = make_reviewer(user=users["reviewer"])
    assignment = assign(application, reviewer)
    # Consortia and applications in the web interface: a draft led by the firm persona's firm (one partner
    # accepted, the Busan firm invited) and a draft of the Seoul chair firm inviting the firm persona's firm.
    draft_application = make_application(
        call,
        network.member_firm,
        [Firm.objects.get(name="구로전자")],
        topic=leading_topic,
        ref="c-open-w-draft",
        status=Application.Status.DRAFT,
    )
    ConsortiumMember.objects.create(consortium=draft_application.consortium, firm=network.busan_firm)
    inviting_application = make_application(
        call,
        network.chair_firm,
        [],
        topic=leading_topic,
        ref="c-open-w-invite",
        status=Application.Status.DRAFT,
    )
    invited_place = ConsortiumMember.objects.create(
        consortium=inviting_application.consortium, firm=network.member_firm
    )
    # Review (helper 5): an application of the open call led by the Busan firm, assigned to the `reviewer`
    # persona, who declared a conflict with that firm: every page of this assignment is a 404 to them.
    conflicted_application = make_application(
        call, network.busan_firm, [], topic=leading_topic, ref="c-open-002"
    )
    DeclaredConflict.objects.create(reviewer=reviewer, firm=network.busan_firm, reason="전 직장")
    conflicted_assignment = assign(conflicted_application, reviewer, declared=False)
    # --- selection: a closed call whose selection was confirmed (the record and the applicant's result pages)
    decided_call = make_call(
        code="c-decided",
        opens_on=today - datetime.timedelta(days=60),
        closes_on=today - datetime.timedelta(days=30),
        published_at=timezone.now() - datetime.timedelta(days=61),
        reviews_per_application=2,
    )
    decided_application = make_application(
        decided_call,
        network.member_firm,
        [network.chair_firm, Firm.objects.get(name="구로전자")],
        ref="c-decided-001",
    )
    for username, score in (("rev-decided-a", 82), ("rev-decided-b", 88)):
        make_review(
            decided_application,
            make_reviewer(username),
            score,
            criterion_scores={"technology": 33, "feasibility": 25, "cooperation": 27},
        )
    from yunghap.programmes.selection_services import decide_selection

    decision = decide_selection(decided_call, actor=users["central"], note="선정평가위원회 의결")
    # A closed call not yet decided: its confirmation page asks first.
    closed_call = make_call(
        code="c-closed",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=10),
        published_at=timezone.now() - datetime.timedelta(days=41),
    )
    from tests.programmes.world_agreements import add_agreements

    w.update(add_agreements(w, network))
    from tests.programmes.world_funds import add_funds

    funds_objects = add_funds(w, network)
    from tests.programmes.world_progress import add_progress

    progress = add_progress(w, network)
    from tests.programmes.world_chain import add_chain

    chain_objects = add_chain(w, network)
    return {
        **funds_objects,
        **progress,
        **chain_objects,
        "proposed_topic": proposed_topic,
        "leading_topic": leading_topic,
        "call": call,
        "draft_call": draft_call,
        "application": application,
        "consortium": application.consortium,
        "reviewer_profile": reviewer,
        "assignment": assignment,
        "draft_application": draft_application,
        "draft_partner_place": draft_application.consortium.members.get(firm=network.busan_firm),
        "inviting_application": inviting_application,
        "invited_place": invited_place,
        "conflicted_application": conflicted_application,
        "conflicted_assignment": conflicted_assignment,
        "decided_call": decided_call,
        "decided_application": decided_application,
        "decision": decision,
        "closed_call": closed_call,
    }
