"""The success story's workflow as data (architecture principle 5): action → source states, target, who may.

    draft ──request_consent──▶ awaiting_consent ──publish (every member consented)──▶ published
      ▲                          │  consent / revoke_consent (member firms, state unchanged)
      └───────────revise─────────┘  (back to draft: the consents given are cleared, the text may change)
    draft, awaiting_consent, published ──withdraw──▶ withdrawn (final; a new story may start)

"central" = central staff (who start, write, publish and withdraw stories); "member" = a user of one of
the consortium's accepted member firms. Regional staff read their region's stories and move none.
Enforced only in `stories.services.move_story`; the state-machine test walks every action × state × actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of

from .models import StoryState as S

CENTRAL = "central"
MEMBER = "member"


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (consent, edit)
    who: frozenset[str]
    label: Any
    summary: Any  # what the confirmation page says will happen


MOVES: dict[str, Move] = {
    move.action: move
    for move in (
        Move(
            "edit",
            frozenset({S.DRAFT}),
            None,
            frozenset({CENTRAL}),
            pgettext_lazy("story action", "본문 수정"),
            _("성공사례의 제목, 요약과 본문을 고칩니다."),
        ),
        Move(
            "request_consent",
            frozenset({S.DRAFT}),
            S.AWAITING_CONSENT,
            frozenset({CENTRAL}),
            pgettext_lazy("story action", "동의 요청"),
            _("참여기업 모두에게 게시 동의를 요청합니다. 동의를 받는 동안 본문은 고칠 수 없습니다."),
        ),
        Move(
            "consent",
            frozenset({S.AWAITING_CONSENT}),
            None,
            frozenset({MEMBER}),
            pgettext_lazy("story action", "게시 동의"),
            _("우리 기업이 이 성공사례의 게시에 동의합니다. 게시되면 누구나 볼 수 있습니다."),
        ),
        Move(
            "revoke_consent",
            frozenset({S.AWAITING_CONSENT}),
            None,
            frozenset({MEMBER}),
            pgettext_lazy("story action", "동의 철회"),
            _("우리 기업의 게시 동의를 거두어들입니다."),
        ),
        Move(
            "revise",
            frozenset({S.AWAITING_CONSENT}),
            S.DRAFT,
            frozenset({CENTRAL}),
            pgettext_lazy("story action", "다시 작성"),
            _("작성 중으로 되돌립니다. 지금까지 받은 동의는 모두 지워지고, 고친 뒤 다시 요청해야 합니다."),
        ),
        Move(
            "publish",
            frozenset({S.AWAITING_CONSENT}),
            S.PUBLISHED,
            frozenset({CENTRAL}),
            pgettext_lazy("story action", "게시"),
            _("성공사례를 공개 목록에 게시합니다. 누구나 볼 수 있습니다."),
        ),
        Move(
            "withdraw",
            frozenset({S.DRAFT, S.AWAITING_CONSENT, S.PUBLISHED}),
            S.WITHDRAWN,
            frozenset({CENTRAL}),
            pgettext_lazy("story action", "철회"),
            _("성공사례를 철회합니다. 공개 목록에서 내려가고 되돌릴 수 없습니다."),
        ),
    )
}


def actor_kinds(story: Any, user: Any) -> frozenset[str]:
    """What `user` is to `story`: central staff, a member firm's user, both or neither."""
    scope = scope_of(user)
    kinds: set[str] = set()
    if scope.central:
        kinds.add(CENTRAL)
    if scope.firm_ids & set(story.member_firm_ids):
        kinds.add(MEMBER)
    return frozenset(kinds)


def may(action: str, story: Any, user: Any) -> bool:
    """Whether `user` is someone who may make the move (whatever the state)."""
    return bool(MOVES[action].who & actor_kinds(story, user))


def allowed_now(story: Any, user: Any) -> list[Move]:
    """The moves `user` may make on `story` in its current state (the detail page's buttons)."""
    kinds = actor_kinds(story, user)
    return [m for m in MOVES.values() if story.state in m.sources and m.who & kinds]
