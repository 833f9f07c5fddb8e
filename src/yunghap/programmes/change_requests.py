"""Agreement change requests (협약 변경) as data: the kinds of change, the state machine and the free margin.

Kinds: approval-type changes need central staff's approval (`members`, `goals`, `period`, and a
`budget_transfer` beyond the call's free margin); notice-type changes take effect when submitted
(`contacts`, `account`, and a `budget_transfer` within the free margin). A request with only notice items
takes effect on submission; one with any approval item waits for staff, and all its items apply on
approval (none on rejection).

The moves are the table `TRANSITIONS`: (from state, action, to state, who may). `NEW` is the state of a
request not yet stored. Only `agreement_services` moves a request, always through `transition()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from .models import ChangeRequest

State = ChangeRequest.State

NEW = "new"

# Who may make a move: the lead firm's users (주관기업, who signs for the consortium) or central staff.
LEAD = "lead"
CENTRAL = "central"

# Actions.
SUBMIT_NOTICE = "submit_notice"  # only notice items: in effect at once
SUBMIT_FOR_APPROVAL = "submit_for_approval"  # any approval item: waits for staff
APPROVE = "approve"
REJECT = "reject"
WITHDRAW = "withdraw"


@dataclass(frozen=True)
class Transition:
    source: str
    action: str
    target: str
    who: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(NEW, SUBMIT_NOTICE, State.IN_EFFECT, LEAD),
    Transition(NEW, SUBMIT_FOR_APPROVAL, State.PENDING, LEAD),
    Transition(State.PENDING, APPROVE, State.APPROVED, CENTRAL),
    Transition(State.PENDING, REJECT, State.REJECTED, CENTRAL),
    Transition(State.PENDING, WITHDRAW, State.WITHDRAWN, LEAD),
)
ACTIONS = tuple(dict.fromkeys(t.action for t in TRANSITIONS))
STATES = (NEW, *State.values)


def find(source: str, action: str) -> Transition | None:
    for move in TRANSITIONS:
        if move.source == source and move.action == action:
            return move
    return None


# --- kinds of change ---------------------------------------------------------------------------------------
MEMBERS = "members"
GOALS = "goals"
PERIOD = "period"
BUDGET_TRANSFER = "budget_transfer"
CONTACTS = "contacts"
ACCOUNT = "account"

# kind → needs approval (None: decided per item by the free margin).
KINDS: dict[str, bool | None] = {
    MEMBERS: True,
    GOALS: True,
    PERIOD: True,
    BUDGET_TRANSFER: None,
    CONTACTS: False,
    ACCOUNT: False,
}
KIND_LABELS = {
    MEMBERS: _("참여기업 변경"),
    GOALS: _("사업 목표 변경"),
    PERIOD: _("협약 기간 변경"),
    BUDGET_TRANSFER: _("비목 간 예산 변경"),
    CONTACTS: _("담당자 연락처 변경"),
    ACCOUNT: _("사업비 계좌 변경"),
}
CONTACT_FIELDS = ("contact_name", "contact_phone", "contact_email")
ACCOUNT_FIELDS = ("bank_name", "account_number", "account_holder")
SOURCES = ("government_krw", "firm_cash_krw", "firm_inkind_krw")
SOURCE_LABELS = {
    "government_krw": _("정부지원금"),
    "firm_cash_krw": _("기업부담 현금"),
    "firm_inkind_krw": _("기업부담 현물"),
}


def within_free_margin(
    amount_krw: int, giving_budget_krw: int, receiving_budget_krw: int, percent: Decimal
) -> bool:
    """A transfer of `amount_krw` between two categories is free (notice-type) when it is at most `percent`
    % of the giving category's approved budget AND of the receiving category's (all sources). Integer
    arithmetic: exactly 20 % of 10,000,000원 (2,000,000원) is free, 2,000,001원 needs approval. A category
    with no budget yet receives nothing freely."""
    if amount_krw <= 0:
        return False
    limit = min(giving_budget_krw, receiving_budget_krw)
    return Decimal(amount_krw) * 100 <= Decimal(percent) * limit
