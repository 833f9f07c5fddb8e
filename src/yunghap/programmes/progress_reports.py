"""The report workflow (중간·최종 보고) as data: which move leads from which state to which, and who may.

    scheduled ──submit(lead)──▶ submitted ──accept(staff)──▶ accepted
        │                          │
        │                          └──return(staff)──▶ returned ──submit(lead)──▶ submitted
        └──skip(staff, reason)──▶ skipped ◀──skip(staff, reason)── returned

Who:
- `lead`: the users of the consortium's lead firm (주관기업). The lead firm answers for the consortium's
  reports under the agreement, so partners read the reports but do not submit them (one voice, no two
  versions of one report).
- `staff`: central federation staff (중앙연합회), who manage the agreements. Regional staff see the reports
  of their region's agreements read-only, as they see the agreements (`Agreement.objects.visible_to`).

Skipping needs a reason and is staff's: a firm cannot excuse itself from a report. Once the agreement is
settled (정산 완료) no move is made any more: the record is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of

from .models import Agreement, Report

LEAD = "lead"
STAFF = "staff"

SUBMIT = "submit"
ACCEPT = "accept"
RETURN = "return"
SKIP = "skip"
ACTIONS = (SUBMIT, ACCEPT, RETURN, SKIP)

S = Report.Status


@dataclass(frozen=True)
class Move:
    from_state: str
    action: str
    to_state: str
    who: str


MOVES: tuple[Move, ...] = (
    Move(S.SCHEDULED, SUBMIT, S.SUBMITTED, LEAD),
    Move(S.RETURNED, SUBMIT, S.SUBMITTED, LEAD),
    Move(S.SUBMITTED, ACCEPT, S.ACCEPTED, STAFF),
    Move(S.SUBMITTED, RETURN, S.RETURNED, STAFF),
    Move(S.SCHEDULED, SKIP, S.SKIPPED, STAFF),
    Move(S.RETURNED, SKIP, S.SKIPPED, STAFF),
)

# Agreements in these states take no more report moves.
CLOSED_AGREEMENT_STATES = frozenset({Agreement.Status.SETTLED})


def move_for(state: str, action: str) -> Move | None:
    return next((m for m in MOVES if m.from_state == state and m.action == action), None)


def actions_from(state: str) -> list[str]:
    return [m.action for m in MOVES if m.from_state == state]


def is_lead_user(user: Any, agreement: Agreement) -> bool:
    """A user of the agreement's lead firm (the consortium's 주관기업)."""
    return agreement.application.consortium.lead_id in scope_of(user).firm_ids


def is_staff(user: Any) -> bool:
    return scope_of(user).central


def plays(user: Any, who: str, agreement: Agreement) -> bool:
    if who == LEAD:
        return is_lead_user(user, agreement)
    if who == STAFF:
        return is_staff(user)
    return False


def may_act(user: Any, report: Report, action: str) -> bool:
    """Whether `user` may make `action` on `report` in its role (ignores the state: see `refusal`)."""
    roles = {m.who for m in MOVES if m.action == action}
    return any(plays(user, who, report.agreement) for who in roles)


def refusal(report: Report, action: str, *, agreement: Agreement | None = None) -> str | None:
    """The Korean reason the move is refused in the report's current state, or None when it is allowed."""
    agreement = agreement or report.agreement
    if agreement.status in CLOSED_AGREEMENT_STATES:
        return _("정산이 끝난 협약의 보고는 더 이상 제출하거나 처리할 수 없습니다.")
    if move_for(report.status, action) is None:
        return _("%(state)s 상태의 보고는 %(action)s할 수 없습니다.") % {
            "state": report.get_status_display(),
            "action": action_label(action),
        }
    return None


def action_label(action: str) -> str:
    return {
        SUBMIT: _("제출"),
        ACCEPT: _("승인"),
        RETURN: _("보완 요청"),
        SKIP: _("생략"),
    }.get(action, action)
