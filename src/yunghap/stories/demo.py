"""Demo success stories (`yunghap demo`): from the demo agreements that are settled with a good result.

Deterministic and idempotent: the stories are made once (skipped when any exists), in agreement order —
the first published with every firm's consent, the second awaiting the firms' consent, the rest drafts.
Without demo agreements (the programmes' demo builds them) it says so and makes nothing."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from .models import StoryConsent, StoryState, SuccessStory

MAX_STORIES = 4


def build_demo(*, seed: int, stdout: Any) -> None:
    from yunghap.accounts.models import User

    from . import services

    if SuccessStory.objects.exists():
        stdout.write("성공사례: 이미 있어 시연 데이터를 만들지 않았습니다.")
        return
    candidates = list(services.candidates().order_by("id")[:MAX_STORIES])
    central = User.objects.filter(username="central").first()
    if not candidates or central is None:
        stdout.write("성공사례: 정산이 끝난 우수·보통 협약이 없어 만들지 않았습니다.")
        return
    made = []
    for index, agreement in enumerate(candidates):
        story = services.start_story(agreement, actor=central)
        if index <= 1:
            story = services.move_story(story, "request_consent", actor=central)
        if index == 0:
            StoryConsent.objects.bulk_create(
                [StoryConsent(story=story, firm_id=firm_id) for firm_id in story.member_firm_ids]
            )
            story.state = StoryState.PUBLISHED
            story.published_at = timezone.now()
            story.save(update_fields=["state", "published_at"])
        made.append(story)
    stdout.write(
        f"성공사례: {len(made)}건 (게시 1, 동의 대기 {min(1, len(made) - 1)}, 작성 중 {max(0, len(made) - 2)})"
    )


def reset_demo() -> None:
    """Stories protect their agreements and firms: they go before the programmes' records."""
    StoryConsent.objects.all().delete()
    SuccessStory.objects.all().delete()
