"""Mentoring's rules (선·후배 기업), one place for the pages, the demo and the tests.

- A senior firm is one with a completed consortium (an accepted member of a consortium whose agreement is
  `ended` or `settled`) or a recorded convergence R&D result (`activities.Outcome`): `senior_eligible`.
- `pair_refusal` refuses a pair inside one firm, a senior that is not eligible, a period that ends before it
  starts, and a pair of the same two firms (either way round) proposed or active over an overlapping period.
- The states and who may move them are data (`MOVES`): each move names the states it leaves, the state it
  reaches and the sides allowed (`manager`: staff and coordinators reaching the pair; `senior`: the senior
  firm's users). A move not listed is refused.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.activities.models import Outcome
from yunghap.programmes.models import Agreement, ConsortiumMember

from .models import Mentorship
from .scope import manages_mentorship

S = Mentorship.State

# States in which a pair holds its two firms for its period (an overlapping second pair is refused).
HOLDING = (S.PROPOSED, S.ACTIVE)


@dataclass(frozen=True)
class Move:
    name: str
    sources: tuple[str, ...]
    target: str
    sides: frozenset[str]
    label: Any


MOVES: dict[str, Move] = {
    # The senior firm agrees to mentor, or the staff/coordinator who arranged it starts the pair.
    "activate": Move(
        "activate", (S.PROPOSED,), S.ACTIVE, frozenset({"manager", "senior"}), gettext_lazy("시작")
    ),
    "end": Move("end", (S.ACTIVE,), S.ENDED, frozenset({"manager"}), gettext_lazy("종료")),
    "cancel": Move(
        "cancel", (S.PROPOSED, S.ACTIVE), S.CANCELLED, frozenset({"manager"}), gettext_lazy("취소")
    ),
}


def sides_of(user: Any, mentorship: Mentorship) -> set[str]:
    """The sides `user` acts as on this pair: manager, senior, junior."""
    sides: set[str] = set()
    if manages_mentorship(user, mentorship):
        sides.add("manager")
    firm_ids = scope_of(user).firm_ids
    if mentorship.senior_id in firm_ids:
        sides.add("senior")
    if mentorship.junior_id in firm_ids:
        sides.add("junior")
    return sides


def move_refusal(move_name: str, state: str, sides: set[str]) -> str | None:
    """Why this move is refused from `state` for someone acting as `sides` (None: allowed)."""
    move = MOVES.get(move_name)
    if move is None:
        return _("알 수 없는 처리입니다.")
    if not sides & move.sides:
        return _("이 처리를 할 권한이 없습니다.")
    if state not in move.sources:
        return _("‘%(state)s’ 상태의 멘토링은 %(move)s할 수 없습니다.") % {
            "state": S(state).label,
            "move": move.label,
        }
    return None


def allowed_moves(mentorship: Mentorship, sides: set[str]) -> list[Move]:
    return [m for m in MOVES.values() if move_refusal(m.name, mentorship.state, sides) is None]


def completed_consortium_firms() -> Any:
    """Firm ids of accepted members of consortia whose agreement has ended or been settled (a subquery)."""
    done = Agreement.objects.filter(status__in=[Agreement.Status.ENDED, Agreement.Status.SETTLED])
    return ConsortiumMember.objects.filter(
        state=ConsortiumMember.State.ACCEPTED, consortium__application__agreement__in=done
    ).values("firm_id")


def eligible_senior_ids(candidates: Any = None) -> set[int]:
    """The firms (among `candidates`, ids) that may be a senior: two queries."""
    consortia = completed_consortium_firms()
    # A result that was deleted from the ledger (kept for undo) does not count.
    results = Outcome.firms.through.objects.filter(outcome__deleted_at__isnull=True)
    if candidates is not None:
        consortia = consortia.filter(firm_id__in=candidates)
        results = results.filter(firm_id__in=candidates)
    return set(consortia.values_list("firm_id", flat=True)) | set(results.values_list("firm_id", flat=True))


def senior_eligible(firm_id: int) -> bool:
    return firm_id in eligible_senior_ids([firm_id])


def overlapping_pairs(
    senior_id: int,
    junior_id: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    *,
    exclude: int | None = None,
) -> Any:
    same_firms = Q(senior_id=senior_id, junior_id=junior_id) | Q(senior_id=junior_id, junior_id=senior_id)
    rows = Mentorship.objects.filter(
        same_firms, state__in=HOLDING, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    return rows.exclude(pk=exclude) if exclude else rows


def pair_refusal(
    senior_id: int,
    junior_id: int,
    starts_on: datetime.date,
    ends_on: datetime.date,
    *,
    exclude: int | None = None,
) -> dict[str, str]:
    """Errors by form field (empty: the pair may be made)."""
    errors: dict[str, str] = {}
    if senior_id == junior_id:
        errors["senior"] = _("선배 기업과 후배 기업이 같습니다. 한 기업 안에서는 멘토링을 맺을 수 없습니다.")
        return errors
    if not senior_eligible(senior_id):
        errors["senior"] = _(
            "선배 기업은 협약을 마친 협력체에 참여했거나 융합기술개발 실적이 기록된 기업이어야 합니다."
        )
    if ends_on < starts_on:
        errors["ends_on"] = _("종료일이 시작일보다 앞섭니다.")
    elif overlapping_pairs(senior_id, junior_id, starts_on, ends_on, exclude=exclude).exists():
        errors["starts_on"] = _("같은 두 기업의 멘토링이 이 기간에 이미 제안되었거나 진행 중입니다.")
    return errors
