"""The proposals of the permission matrix's world, all by the `firm` persona: a private one just submitted
(with a PDF), a public one (others support and report it), one in review (staff answer or ask a correction)
and one awaiting a correction (its author replies)."""

from __future__ import annotations

from typing import Any

from tests.proposals.factories import make_proposal, pdf


def add_proposals(world: dict[str, Any], network: Any) -> dict[str, Any]:
    users = world["users"]
    author, staff = users["firm"], users["central"]
    private = make_proposal(author, staff=staff, title="비공개 건의", attachments=(pdf(),))
    return {
        "proposal_private": private,
        "proposal_file": private.attachments.get(),
        "proposal_public": make_proposal(author, staff=staff, title="공개 건의", is_public=True),
        "proposal_review": make_proposal(author, staff=staff, title="검토 중 건의", state="in_review"),
        "proposal_correction": make_proposal(author, staff=staff, title="보완 중 건의", state="correction"),
    }
