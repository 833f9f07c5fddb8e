"""A success story of the chain factories' funded consortium, in any state."""

from __future__ import annotations

from typing import Any

from tests.programmes.chain_factories import Funded, make_funded
from yunghap.stories import services
from yunghap.stories.models import StoryConsent, StoryState, SuccessStory


def make_story(
    network: Any, *, state: str = StoryState.DRAFT, funded: Funded | None = None, consents: int = 0
) -> SuccessStory:
    funded = funded or make_funded(network)
    story = services.start_story(funded.agreement, actor=network.users["central"])
    if state != StoryState.DRAFT:
        story.state = state
        story.save(update_fields=["state"])
    for firm_id in story.member_firm_ids[:consents]:
        StoryConsent.objects.create(story=story, firm_id=firm_id)
    return story
