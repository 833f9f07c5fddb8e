"""The policy proposal's workflow as data (architecture principle 5): action → source states, target, who may.

    submitted ──start_review──▶ in_review ──answer──▶ answered ──publish_answer──▶ (answered, published)
        │                        │    ▲                                      └──close──▶ closed
        │            ask_correction   reply_correction (the author; the clock was paused meanwhile)
        │                        ▼    │
        │                       correction
    submitted, in_review, correction ──withdraw (the author)──▶ withdrawn

"staff" = central federation staff (the proposals are addressed to the central federation; see
docs/decisions.md); "author" = the user who submitted the proposal. Support (공감) is no part of this
table: nothing here reads it. Enforced only in `proposals.services`; the tests walk every move.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from yunghap.accounts.scope import scope_of

from .models import ProposalState as S

STAFF = "staff"
AUTHOR = "author"

# Where the proposal still waits for its answer (the clock runs, the proposal may be withdrawn).
BEFORE_ANSWER = frozenset({S.SUBMITTED, S.IN_REVIEW, S.CORRECTION})
# Where the author may still change the text and the visibility.
EDITABLE = frozenset({S.SUBMITTED, S.CORRECTION})


@dataclass(frozen=True)
class Move:
    action: str
    sources: frozenset[str]
    target: str | None  # None: the state stays (edit, publish_answer)
    who: frozenset[str]
    label: Any
    summary: Any  # what the confirmation page says will happen


MOVES: dict[str, Move] = {
    move.action: move
    for move in (
        Move(
            "edit",
            EDITABLE,
            None,
            frozenset({AUTHOR}),
            pgettext_lazy("proposal action", "수정"),
            _("건의 내용과 공개 여부를 고칩니다."),
        ),
        Move(
            "start_review",
            frozenset({S.SUBMITTED}),
            S.IN_REVIEW,
            frozenset({STAFF}),
            pgettext_lazy("proposal action", "검토 시작"),
            _("건의를 검토 중으로 바꿉니다. 이후 건의인은 내용을 고칠 수 없습니다."),
        ),
        Move(
            "ask_correction",
            frozenset({S.IN_REVIEW}),
            S.CORRECTION,
            frozenset({STAFF}),
            pgettext_lazy("proposal action", "보완 요청"),
            _("건의인에게 보완을 요청합니다. 보완하는 동안 처리 기한은 멈춥니다."),
        ),
        Move(
            "reply_correction",
            frozenset({S.CORRECTION}),
            S.IN_REVIEW,
            frozenset({AUTHOR}),
            pgettext_lazy("proposal action", "보완 제출"),
            _("보완 내용을 제출합니다. 건의는 다시 검토 중이 되고 처리 기한이 다시 흐릅니다."),
        ),
        Move(
            "answer",
            frozenset({S.IN_REVIEW}),
            S.ANSWERED,
            frozenset({STAFF}),
            pgettext_lazy("proposal action", "답변 작성"),
            _("처리 결과와 답변을 저장합니다. 답변은 공개하기 전까지 건의인에게 보이지 않습니다."),
        ),
        Move(
            "publish_answer",
            frozenset({S.ANSWERED}),
            None,
            frozenset({STAFF}),
            pgettext_lazy("proposal action", "답변 공개"),
            _("답변을 공개합니다. 건의인에게 알리고, 공개 건의이면 누구나 답변을 볼 수 있습니다."),
        ),
        Move(
            "close",
            frozenset({S.ANSWERED}),
            S.CLOSED,
            frozenset({STAFF}),
            pgettext_lazy("proposal action", "종결"),
            _("건의를 종결합니다. 되돌릴 수 없습니다."),
        ),
        Move(
            "withdraw",
            BEFORE_ANSWER,
            S.WITHDRAWN,
            frozenset({AUTHOR}),
            pgettext_lazy("proposal action", "철회"),
            _("건의를 철회합니다. 검토가 멈추고 되돌릴 수 없습니다. 공개 건의는 목록에서 내려갑니다."),
        ),
    )
}
# The staff's moves made from a confirmation page (the others have their own forms).
CONFIRMED_STAFF_MOVES = ("start_review", "publish_answer", "close")


def actor_kinds(proposal: Any, user: Any) -> frozenset[str]:
    scope = scope_of(user)
    kinds: set[str] = set()
    if scope.central:
        kinds.add(STAFF)
    if scope.authenticated and proposal.author_id == user.pk:
        kinds.add(AUTHOR)
    return frozenset(kinds)


def may(action: str, proposal: Any, user: Any) -> bool:
    """Whether `user` is someone who may make the move (whatever the state)."""
    return bool(MOVES[action].who & actor_kinds(proposal, user))


def refusal(action: str, proposal: Any) -> str:
    """Why the move cannot be made in the proposal's state now ("" when it can)."""
    from yunghap.core.korean import fill

    move = MOVES[action]
    if proposal.state not in move.sources:
        return fill(
            str(_("'%(state)s' 상태에서는 %(action)s을(를) 할 수 없습니다.")),
            {"state": proposal.get_state_display(), "action": str(move.label)},
        )
    if action == "publish_answer" and proposal.answer_published_at is not None:
        return str(_("답변은 이미 공개되었습니다."))
    if action == "close" and proposal.answer_published_at is None:
        return str(_("답변을 공개한 뒤에 종결할 수 있습니다."))
    return ""


def allowed_now(proposal: Any, user: Any) -> list[Move]:
    kinds = actor_kinds(proposal, user)
    return [m for m in MOVES.values() if m.who & kinds and not refusal(m.action, proposal)]
