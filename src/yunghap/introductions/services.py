"""Every change to an introduction goes through here: the workflow table is checked, the move is made in one
transaction with an audit row and a history event, and the people it concerns are notified.

A move the actor may never make is a PermissionDenied (403); a move that is not possible in the current
state is a ValidationError with a Korean message.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core import messages_catalogue
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.matching.review import firm_users, handles_firm
from yunghap.network.models import Firm

from .message_codes import introduction_code
from .models import Introduction, IntroductionEvent, caseload_firm_ids, coordinated_by_condition
from .workflow import (
    DEFAULT_RESPONSE_DAYS,
    FOLLOW_UP_MONTHS,
    MAX_RESPONSE_DAYS,
    OPEN_STATES,
    TRANSITIONS,
    Actor,
    Audience,
    Outcome,
    State,
    Transition,
)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later, or the month's last day when it has none (08-31 + 6 → 02-28/29)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def today() -> datetime.date:
    return timezone.localdate()


# --- who is acting ---------------------------------------------------------------------------------


def is_coordinator_for(user: Any, intro: Introduction) -> bool:
    """Is `user` a coordinator of `intro`? The rule is `models.coordinated_by_condition`; federation staff
    who introduced a firm no coordinator covers, on its request (`matching.review`), act as its coordinator
    while the firm is still theirs to look after."""
    if user is None:
        return False
    if not scope_of(user).coordinator_group_ids:
        return intro.coordinator_id == getattr(user, "pk", None) and handles_firm(user, intro.seeker_id)
    return Introduction.objects.filter(pk=intro.pk).filter(coordinated_by_condition(user)).exists()


def party_firm_ids(user: Any, intro: Introduction) -> list[int]:
    firm_ids = scope_of(user).firm_ids
    return [fid for fid in (intro.seeker_id, intro.partner_id) if fid in firm_ids]


def actor_kinds(user: Any, intro: Introduction) -> set[str]:
    if user is None:
        return {Actor.SYSTEM}
    kinds: set[str] = set()
    if is_coordinator_for(user, intro):
        kinds.add(Actor.COORDINATOR)
    if party_firm_ids(user, intro) and intro.state != State.PROPOSED:
        kinds.add(Actor.PARTY)
    return kinds


def available_actions(user: Any, intro: Introduction) -> list[Transition]:
    """The moves this user may make now, for the buttons on the introduction page."""
    kinds = actor_kinds(user, intro)
    state = intro.effective_state
    moves = [t for t in TRANSITIONS.values() if state in t.sources and t.actors & kinds]
    if Actor.PARTY in kinds and Actor.COORDINATOR not in kinds:
        # A firm that has already answered has nothing more to answer.
        sides = [intro.side_of(fid) for fid in party_firm_ids(user, intro)]
        if all(intro.answer_of(side) != Introduction.Answer.PENDING for side in sides if side):
            moves = [t for t in moves if t.action not in {"accept", "decline"}]
    return moves


# --- the one place a move is made ------------------------------------------------------------------


def _recipients(
    intro: Introduction, audience: Iterable[str], actor: Any, actor_firm: Firm | None
) -> list[Any]:
    users: list[Any] = []
    firm_ids: set[int] = set()
    for who in audience:
        if who == Audience.COORDINATOR and intro.coordinator_id:
            users.append(intro.coordinator)
        elif who == Audience.PARTIES:
            firm_ids |= {intro.seeker_id, intro.partner_id}
        elif who == Audience.OTHER_PARTY and actor_firm is not None:
            firm_ids.add(intro.partner_id if actor_firm.pk == intro.seeker_id else intro.seeker_id)
    users += firm_users(firm_ids)
    actor_pk = getattr(actor, "pk", None)
    return [user for user in users if user.pk != actor_pk]


def _apply(
    intro: Introduction,
    action: str,
    *,
    actor: Any,
    actor_firm: Firm | None = None,
    message: str = "",
    fields: dict[str, Any] | None = None,
    complete: bool = True,
) -> Introduction:
    """Make the move `action` (fields set on the way); `complete=False` records a first answer only."""
    transition = TRANSITIONS[action]
    kinds = actor_kinds(actor, intro)
    if not transition.actors & kinds:
        raise PermissionDenied(
            _("이 소개에서 '%(action)s' 처리를 할 권한이 없습니다.") % {"action": transition.label}
        )
    # People act on the state as it is today (an unanswered request past its deadline has expired even
    # before the scheduler recorded it); the scheduler's own moves start from the stored state.
    before = intro.state if Actor.SYSTEM in transition.actors else intro.effective_state
    if before not in transition.sources:
        raise ValidationError(
            _("'%(state)s' 상태에서는 '%(action)s' 처리를 할 수 없습니다.")
            % {"state": State(before).label, "action": transition.label}
        )
    target = transition.target if complete else before
    changes: dict[str, Any] = {}
    for name, value in (fields or {}).items():
        if getattr(intro, name) != value:
            changes[name] = [getattr(intro, name), value]
            setattr(intro, name, value)
    intro.state = target
    if target != before:
        changes["state"] = [before, target]
    if target == State.CLOSED:
        intro.closed_at = timezone.now()
    intro.save()
    IntroductionEvent.objects.create(
        introduction=intro,
        action=action,
        from_state=before,
        to_state=target,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_firm=actor_firm,
        message=message,
    )
    record_change(actor, f"introduction.{action}", intro, changes)
    context = {
        "seeker": intro.seeker.name,
        "partner": intro.partner.name,
        "actor_firm": actor_firm.name if actor_firm else "",
        "deadline": intro.respond_by.isoformat(),
    }
    notify(
        _recipients(intro, transition.audience, actor, actor_firm),
        code=introduction_code(action, partial=not complete),
        params=context,
        link=reverse("introductions:detail", args=[intro.pk]),
        verb=f"introduction.{action}",
    )
    return intro


def _locked(intro: Introduction) -> Introduction:
    """Re-read the row under a lock so that two simultaneous answers cannot both see the other pending."""
    fresh = (
        Introduction.objects.select_for_update(of=("self",))
        .select_related("seeker", "partner", "coordinator")
        .get(pk=intro.pk)
    )
    intro.__dict__.update(fresh.__dict__)
    return intro


def _party_side(intro: Introduction, firm_id: int) -> str:
    side = intro.side_of(firm_id)
    assert side is not None, "only called with the seeker's or the partner's id"
    return side


def _acting_firm(actor: Any, intro: Introduction, firm: Firm | None) -> Firm:
    firm_ids = party_firm_ids(actor, intro)
    if firm is not None:
        if firm.pk not in firm_ids:
            raise PermissionDenied(_("이 회원사를 대신해 응답할 권한이 없습니다."))
        return firm
    if not firm_ids:
        raise PermissionDenied(_("이 소개의 당사자 기업 담당자만 응답할 수 있습니다."))
    # A user of both firms answers first for whichever side is still pending.
    pending = [
        fid for fid in firm_ids if intro.answer_of(_party_side(intro, fid)) == Introduction.Answer.PENDING
    ]
    fid = (pending or firm_ids)[0]
    return intro.seeker if fid == intro.seeker_id else intro.partner


def _validate_deadline(respond_by: datetime.date) -> None:
    if respond_by <= today():
        raise ValidationError({"respond_by": _("응답 기한은 오늘 이후여야 합니다.")})
    if respond_by > today() + datetime.timedelta(days=MAX_RESPONSE_DAYS):
        raise ValidationError(
            {"respond_by": _("응답 기한은 %(days)d일 이내로 정해 주세요.") % {"days": MAX_RESPONSE_DAYS}}
        )


# --- services --------------------------------------------------------------------------------------


@transaction.atomic
def create_introduction(
    *,
    actor: Any,
    seeker: Firm,
    partner: Firm,
    need: Any = None,
    note: str = "",
    respond_by: datetime.date | None = None,
    reasons: Iterable[Any] = (),
    score: float | None = None,
    send: bool = True,
) -> Introduction:
    """A coordinator proposes `partner` to `seeker` (for one of its needs) and, by default, asks both."""
    # The seeker's coordinator (its caseload), or, when no coordinator covers it, the federation staff
    # the review chain falls to (matching.review).
    if not (caseload_firm_ids(actor).filter(firm_id=seeker.pk).exists() or handles_firm(actor, seeker.pk)):
        raise PermissionDenied(_("담당 교류회의 회원사에 대해서만 소개할 수 있습니다."))
    if seeker.pk == partner.pk:
        raise ValidationError(_("같은 기업끼리는 소개할 수 없습니다."))
    if partner.status != Firm.Status.ACTIVE or seeker.status != Firm.Status.ACTIVE:
        raise ValidationError(_("폐업한 기업은 소개할 수 없습니다."))
    if need is not None and need.firm_id != seeker.pk:
        raise ValidationError(_("선택한 기술 수요는 이 기업의 것이 아닙니다."))
    duplicate = Introduction.objects.filter(seeker=seeker, partner=partner, state__in=OPEN_STATES)
    if duplicate.filter(need=need).exists():
        raise ValidationError(_("두 기업 사이에 이미 진행 중인 소개가 있습니다."))
    respond_by = respond_by or today() + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)
    _validate_deadline(respond_by)
    intro = Introduction.objects.create(
        coordinator=actor,
        seeker=seeker,
        partner=partner,
        need=need,
        note=note.strip(),
        respond_by=respond_by,
        # Kept as message codes with parameters (core.messages_catalogue), shown in each reader's language.
        reasons=[messages_catalogue.as_data(r) for r in reasons][:20],
        score=score,
    )
    IntroductionEvent.objects.create(
        introduction=intro, action="create", to_state=intro.state, actor=actor, message=intro.note
    )
    record_change(
        actor, "introduction.create", intro, {"need": getattr(need, "pk", None), "note": intro.note}
    )
    if send:
        _apply(intro, "send", actor=actor, fields={"sent_at": timezone.now()})
    return intro


@transaction.atomic
def send_introduction(intro: Introduction, *, actor: Any) -> Introduction:
    _locked(intro)
    if intro.respond_by <= today():
        raise ValidationError({"respond_by": _("응답 기한이 지났습니다. 기한을 새로 정해 주세요.")})
    return _apply(intro, "send", actor=actor, fields={"sent_at": timezone.now()})


@transaction.atomic
def answer_introduction(
    intro: Introduction, *, actor: Any, accept: bool, message: str = "", firm: Firm | None = None
) -> Introduction:
    """One firm's answer. Both accepting releases contact data; either declining ends the introduction."""
    _locked(intro)
    action = "accept" if accept else "decline"
    if intro.state == State.AWAITING and intro.effective_state == State.EXPIRED:
        # Expiry itself is the scheduler's move (it records it and tells everyone); an answer now is too late.
        raise ValidationError(_("응답 기한(%(date)s)이 지났습니다.") % {"date": intro.respond_by.isoformat()})
    if Actor.PARTY not in actor_kinds(actor, intro):
        raise PermissionDenied(_("이 소개의 당사자 기업 담당자만 응답할 수 있습니다."))
    acting = _acting_firm(actor, intro, firm)
    side = _party_side(intro, acting.pk)
    if intro.state == State.AWAITING and intro.answer_of(side) != Introduction.Answer.PENDING:
        raise ValidationError(_("이미 응답했습니다."))
    now = timezone.now()
    fields: dict[str, Any] = {
        f"{side}_answer": Introduction.Answer.ACCEPTED if accept else Introduction.Answer.DECLINED,
        f"{side}_message": message.strip()[:1000],
        f"{side}_answered_at": now,
    }
    complete = True
    if accept:
        other = intro.other_side(side)
        complete = intro.answer_of(other) == Introduction.Answer.ACCEPTED
        if complete:
            fields["mutually_accepted_at"] = now
    return _apply(
        intro,
        action,
        actor=actor,
        actor_firm=acting,
        message=message.strip(),
        fields=fields,
        complete=complete,
    )


@transaction.atomic
def extend_introduction(intro: Introduction, *, actor: Any, respond_by: datetime.date) -> Introduction:
    """Give the firms more time (also re-asks after expiry); answers already given stand."""
    _locked(intro)
    _validate_deadline(respond_by)
    return _apply(intro, "extend", actor=actor, fields={"respond_by": respond_by})


@transaction.atomic
def schedule_meeting(
    intro: Introduction, *, actor: Any, meeting_at: datetime.datetime, place: str = ""
) -> Introduction:
    _locked(intro)
    if meeting_at < timezone.now() - datetime.timedelta(days=1):
        raise ValidationError({"meeting_at": _("미팅 일시는 과거일 수 없습니다.")})
    return _apply(
        intro,
        "schedule_meeting",
        actor=actor,
        actor_firm=_party_or_none(actor, intro),
        fields={"meeting_at": meeting_at, "meeting_place": place.strip()[:200]},
    )


@transaction.atomic
def record_meeting(intro: Introduction, *, actor: Any, met_on: datetime.date, note: str = "") -> Introduction:
    _locked(intro)
    if met_on > today():
        raise ValidationError({"met_on": _("미팅일은 오늘 이후일 수 없습니다.")})
    return _apply(
        intro,
        "record_meeting",
        actor=actor,
        actor_firm=_party_or_none(actor, intro),
        fields={"met_on": met_on, "meeting_note": note.strip()},
    )


@transaction.atomic
def record_outcome(intro: Introduction, *, actor: Any, outcome: str, note: str = "") -> Introduction:
    """The outcome of the meeting; the follow-up falls due six months later."""
    _locked(intro)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("성과 구분을 선택해 주세요.")})
    recorded = today()
    return _apply(
        intro,
        "record_outcome",
        actor=actor,
        fields={
            "outcome": outcome,
            "outcome_note": note.strip(),
            "outcome_recorded_on": recorded,
            "follow_up_due_on": add_months(recorded, FOLLOW_UP_MONTHS),
        },
    )


@transaction.atomic
def record_follow_up(intro: Introduction, *, actor: Any, outcome: str, note: str) -> Introduction:
    _locked(intro)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("성과 구분을 선택해 주세요.")})
    if not note.strip():
        raise ValidationError({"note": _("그동안 어떤 결과가 있었는지 적어 주세요.")})
    return _apply(
        intro,
        "record_follow_up",
        actor=actor,
        actor_firm=_party_or_none(actor, intro),
        message=note.strip(),
        fields={
            "follow_up_outcome": outcome,
            "follow_up_note": note.strip(),
            "followed_up_at": timezone.now(),
        },
    )


@transaction.atomic
def withdraw_introduction(intro: Introduction, *, actor: Any, reason: str = "") -> Introduction:
    _locked(intro)
    return _apply(intro, "withdraw", actor=actor, message=reason.strip())


@transaction.atomic
def close_introduction(intro: Introduction, *, actor: Any) -> Introduction:
    _locked(intro)
    return _apply(intro, "close", actor=actor)


def _party_or_none(actor: Any, intro: Introduction) -> Firm | None:
    if Actor.COORDINATOR in actor_kinds(actor, intro):
        return None
    firm_ids = party_firm_ids(actor, intro)
    if not firm_ids:
        return None
    return intro.seeker if firm_ids[0] == intro.seeker_id else intro.partner


# --- what time does on its own ---------------------------------------------------------------------


def run_due_transitions(queryset: Any = None, *, on: datetime.date | None = None) -> dict[str, int]:
    """Expire unanswered requests past their deadline and open follow-ups that have fallen due.

    Run only by `yunghap expire_introductions` and its task: pages never write (GET derives the same state
    with `Introduction.effective_state`), so this is where the audit rows and the mail come from.
    """
    on = on or today()
    qs = queryset if queryset is not None else Introduction.objects.all()
    counts = {"expired": 0, "follow_up_due": 0}
    overdue = list(qs.filter(state=State.AWAITING, respond_by__lt=on).values_list("pk", flat=True))
    due = list(qs.filter(state=State.OUTCOME_RECORDED, follow_up_due_on__lte=on).values_list("pk", flat=True))
    for pk in overdue:
        counts["expired"] += _system_move(pk, "expire", State.AWAITING)
    for pk in due:
        counts["follow_up_due"] += _system_move(pk, "follow_up_due", State.OUTCOME_RECORDED)
    return counts


def _system_move(pk: int, action: str, expected: str) -> int:
    with transaction.atomic():
        intro = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("seeker", "partner", "coordinator")
            .get(pk=pk)
        )
        if intro.state != expected:  # someone answered in the meantime
            return 0
        _apply(intro, action, actor=None)
        return 1
