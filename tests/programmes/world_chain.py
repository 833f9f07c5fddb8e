"""The permission matrix's objects for the chain, the funnel and the success stories (helper 5 of issue 10):
a funded consortium of the firm persona's firm with its result; success stories in draft, awaiting the
firms' consent and published; and a settled agreement graded 우수 with no story yet (the start page)."""

from __future__ import annotations

from typing import Any

from tests.programmes.chain_factories import make_funded
from yunghap.stories import services
from yunghap.stories.models import StoryConsent, StoryState


def add_chain(world: dict[str, Any], network: Any) -> dict[str, Any]:
    central = world["users"]["central"]
    funded = make_funded(network)
    awaiting = services.start_story(funded.agreement, actor=central)
    awaiting = services.move_story(awaiting, "request_consent", actor=central)
    draft = services.start_story(make_funded(network).agreement, actor=central)
    published = services.start_story(make_funded(network).agreement, actor=central)
    published.state = StoryState.PUBLISHED
    published.save(update_fields=["state"])
    for firm_id in published.member_firm_ids:
        StoryConsent.objects.create(story=published, firm_id=firm_id)
    return {
        "chain_outcome": funded.outcome,
        "story_awaiting": awaiting,
        "story_draft": draft,
        "story_published": published,
        "story_candidate": make_funded(network).agreement,
    }
