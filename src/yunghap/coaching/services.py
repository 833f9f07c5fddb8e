"""Every change to coaching records: one transaction, the row locked, an audit row (principle 1).

Sessions are logged by coordinators with a subject in their scope; only the coordinator who logged a session
edits it (with a version check) or adds and closes its next steps. A pre-planning session may write a
pre-planning note on its consortium or on a topic (`programmes.PrePlanningNote`), which carries into the
consortium's application. Mentoring: `propose_mentorship`, `move_mentorship` (the moves of
`mentoring.MOVES`), `log_mentoring_session`, `review_mentorship`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify
from yunghap.core.versions import bump_version, lock_version
from yunghap.network.models import ExchangeGroup, Firm
from yunghap.programmes.models import Consortium, PrePlanningNote, Topic

from . import mentoring, message_codes
from .models import (
    CoachingSession,
    CoachingSettings,
    MentoringSession,
    Mentorship,
    MentorshipReview,
    NextStep,
)
from .scope import may_pair, session_subjects

NOTES_MAX = 8000
NOTE_MAX = 4000
STEPS_MAX = 20


@dataclass(frozen=True)
class StepInput:
    text: str
    due_on: datetime.date


def _subject_in_scope(actor: Any, subject: Any) -> None:
    groups, consortia, firms = session_subjects(actor)
    if isinstance(subject, ExchangeGroup):
        allowed = groups.filter(pk=subject.pk).exists()
    elif isinstance(subject, Consortium):
        allowed = consortia.filter(pk=subject.pk).exists()
    elif isinstance(subject, Firm):
        allowed = firms.filter(pk=subject.pk).exists()
    else:
        allowed = False
    if not allowed:
        raise PermissionDenied(_("담당 교류회와 그 회원사·협력체만 코칭 기록을 남길 수 있습니다."))


def _check_notes(notes: str) -> str:
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("코칭 내용을 입력해 주세요.")})
    if len(notes) > NOTES_MAX:
        raise ValidationError({"notes": _("내용은 %(n)s자 이내로 써 주세요.") % {"n": f"{NOTES_MAX:,}"}})
    return notes


def _check_day(held_on: datetime.date) -> None:
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("코칭일은 오늘이나 그 전이어야 합니다.")})


def _note_body(session: CoachingSession, body: str) -> str:
    body = (body or "").strip() or session.notes
    return body[:NOTE_MAX]


def log_session(
    *,
    actor: Any,
    subject: Any,
    held_on: datetime.date,
    kind: str,
    notes: str,
    steps: list[StepInput] = (),  # type: ignore[assignment]
    note_topic: Topic | None = None,
    write_note: bool = False,
    note_body: str = "",
) -> CoachingSession:
    """Log a coaching session (and its next steps, and its pre-planning note when asked)."""
    _subject_in_scope(actor, subject)
    notes = _check_notes(notes)
    _check_day(held_on)
    if kind not in CoachingSession.Kind.values:
        raise ValidationError({"kind": _("코칭 구분이 올바르지 않습니다.")})
    if write_note and kind != CoachingSession.Kind.PRE_PLANNING:
        raise ValidationError({"write_note": _("사전 기술기획 메모는 ‘사전 기술기획’ 코칭에서만 남깁니다.")})
    if write_note and not isinstance(subject, Consortium) and note_topic is None:
        raise ValidationError(
            {
                "note_topic": _(
                    "사전 기술기획 메모는 협력체나 과제에 붙습니다. 협력체를 고르거나 과제를 골라 주세요."
                )
            }
        )
    if len(steps) > STEPS_MAX:
        raise ValidationError({"steps": _("다음 할 일은 %(n)s개까지 남길 수 있습니다.") % {"n": STEPS_MAX}})
    with transaction.atomic():
        session = CoachingSession(coordinator=actor, held_on=held_on, kind=kind, notes=notes)
        if isinstance(subject, ExchangeGroup):
            session.group = subject
        elif isinstance(subject, Consortium):
            session.consortium = subject
        else:
            session.firm = subject
        session.save()
        NextStep.objects.bulk_create([NextStep(session=session, text=s.text, due_on=s.due_on) for s in steps])
        if write_note:
            session.pre_planning_note = _write_note(
                session, actor, note_topic, _note_body(session, note_body)
            )
            session.save(update_fields=["pre_planning_note"])
        record_change(
            actor,
            "coaching.session.create",
            session,
            {
                "held_on": held_on,
                "kind": kind,
                "subject": f"{session.subject_kind}:{subject.pk}",
                "steps": [{"text": s.text, "due_on": s.due_on} for s in steps],
                "pre_planning_note": session.pre_planning_note_id,
            },
        )
    return session


def _write_note(session: CoachingSession, actor: Any, topic: Topic | None, body: str) -> PrePlanningNote:
    consortium = session.consortium
    application = getattr(consortium, "application", None) if consortium is not None else None
    note = PrePlanningNote.objects.create(
        consortium=consortium, topic=topic, application=application, author=actor, body=body
    )
    if application is not None and consortium is not None:
        # As for a note written on the application's page: the lead firm's users are told once committed.
        from django.urls import reverse

        from yunghap.programmes import message_codes as programmes_codes

        params = {
            "author": str(getattr(actor, "name", "") or actor.get_username()),
            "ref": application.ref,
            "title": application.title,
        }
        link = reverse("programmes:pre_planning", kwargs={"pk": application.pk})
        users = _firm_users(consortium.lead_id)
        transaction.on_commit(
            lambda: notify(users, code=programmes_codes.PRE_PLANNING_NOTE_ADDED, params=params, link=link)
        )
    return note


def append_note(
    session: CoachingSession, *, actor: Any, body: str, topic: Topic | None = None
) -> PrePlanningNote:
    """Append another pre-planning note from a pre-planning session (its consortium or the topic given)."""
    _author_only(session, actor)
    if session.kind != CoachingSession.Kind.PRE_PLANNING:
        raise ValidationError({"body": _("사전 기술기획 메모는 ‘사전 기술기획’ 코칭에서만 남깁니다.")})
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("메모 내용을 입력해 주세요.")})
    if len(body) > NOTE_MAX:
        raise ValidationError({"body": _("메모는 %(n)s자 이내로 써 주세요.") % {"n": f"{NOTE_MAX:,}"}})
    if session.consortium_id is None and topic is None:
        raise ValidationError(
            {"topic": _("사전 기술기획 메모는 협력체나 과제에 붙습니다. 과제를 골라 주세요.")}
        )
    with transaction.atomic():
        CoachingSession.objects.select_for_update().filter(pk=session.pk).first()
        note = _write_note(session, actor, topic, body)
        if session.pre_planning_note_id is None:
            CoachingSession.objects.filter(pk=session.pk).update(pre_planning_note=note)
        record_change(actor, "coaching.session.note", session, {"note": note.pk, "body": body})
    return note


def _author_only(session: CoachingSession, actor: Any) -> None:
    if session.coordinator_id != getattr(actor, "pk", None) or not scope_of(actor).coordinator_group_ids:
        raise PermissionDenied(_("코칭 기록은 기록한 코디네이터만 고칠 수 있습니다."))


def may_change_session(user: Any, session: CoachingSession) -> bool:
    return session.coordinator_id == getattr(user, "pk", None) and bool(scope_of(user).coordinator_group_ids)


def update_session(
    session: CoachingSession,
    *,
    actor: Any,
    expected_version: int | None,
    held_on: datetime.date,
    kind: str,
    notes: str,
) -> CoachingSession:
    _author_only(session, actor)
    notes = _check_notes(notes)
    _check_day(held_on)
    with transaction.atomic():
        lock_version(session, expected_version)
        session.refresh_from_db()
        changes = {
            name: value
            for name, value in (("held_on", held_on), ("kind", kind), ("notes", notes))
            if getattr(session, name) != value
        }
        if not changes:
            return session
        for name, value in changes.items():
            setattr(session, name, value)
        bump_version(session)
        session.save()
        record_change(actor, "coaching.session.update", session, changes)
    return session


def add_next_step(session: CoachingSession, *, actor: Any, text: str, due_on: datetime.date) -> NextStep:
    _author_only(session, actor)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("다음 할 일을 입력해 주세요.")})
    with transaction.atomic():
        CoachingSession.objects.select_for_update().filter(pk=session.pk).first()
        if NextStep.objects.filter(session=session).count() >= STEPS_MAX:
            raise ValidationError(
                {"text": _("다음 할 일은 %(n)s개까지 남길 수 있습니다.") % {"n": STEPS_MAX}}
            )
        step = NextStep.objects.create(session=session, text=text[:300], due_on=due_on)
        record_change(
            actor, "coaching.step.create", session, {"step": step.pk, "text": step.text, "due_on": due_on}
        )
    return step


def set_step_done(step: NextStep, *, actor: Any, done: bool) -> NextStep:
    """Mark a next step done (or open again); the same request twice changes nothing the second time."""
    _author_only(step.session, actor)
    with transaction.atomic():
        locked = NextStep.objects.select_for_update().get(pk=step.pk)
        if locked.done == done:
            return locked
        locked.done = done
        locked.done_at = timezone.now() if done else None
        locked.done_by = actor if done else None
        locked.save(update_fields=["done", "done_at", "done_by"])
        record_change(
            actor,
            "coaching.step.done" if done else "coaching.step.reopen",
            locked.session,
            {"step": locked.pk},
        )
    return locked


def update_settings(
    *, actor: Any, expected_version: int | None, quiet_days: int, due_soon_days: int
) -> CoachingSettings:
    if not scope_of(actor).central:
        raise PermissionDenied(_("코칭 설정은 중앙연합회 담당자만 바꿉니다."))
    if not 1 <= quiet_days <= 3650:
        raise ValidationError({"quiet_days": _("연락 없음 기준은 1일부터 3,650일 사이로 정해 주세요.")})
    if not 0 <= due_soon_days <= 365:
        raise ValidationError({"due_soon_days": _("다음 할 일 예고는 0일부터 365일 사이로 정해 주세요.")})
    with transaction.atomic():
        row = CoachingSettings.objects.select_for_update().order_by("pk").first()
        if row is None:
            # The first save: one row, created once (the lock on nothing is the table's write lock here).
            row = CoachingSettings.objects.create()
        lock_version(row, expected_version if expected_version is not None else row.version)
        changes = {
            n: v
            for n, v in (("quiet_days", quiet_days), ("due_soon_days", due_soon_days))
            if getattr(row, n) != v
        }
        if changes:
            for n, v in changes.items():
                setattr(row, n, v)
            bump_version(row)
            row.save()
            record_change(actor, "coaching.settings.update", row, changes)
    return row


# --- mentoring ----------------------------------------------------------------------------------------------


def _firm_users(*firm_ids: int) -> list[Any]:
    from yunghap.accounts.models import Role, User

    return list(
        User.objects.filter(is_active=True, grants__role=Role.FIRM_USER, grants__firm_id__in=firm_ids)
        .distinct()
        .order_by("pk")
    )


def _tell(users: list[Any], code: str, pair: Mentorship) -> None:
    """Notify once the transaction commits (a rolled-back change tells nobody)."""
    from django.urls import reverse

    params = {"senior": pair.senior.name, "junior": pair.junior.name}
    link = reverse("coaching:mentorship_detail", kwargs={"pk": pair.pk})
    transaction.on_commit(lambda: notify(users, code=code, params=params, link=link))


def _lock_firms(*firm_ids: int) -> None:
    """Lock both firms' rows in id order: two proposals for the same pair wait for each other (PostgreSQL)."""
    list(
        Firm.objects.select_for_update()
        .filter(pk__in=sorted(firm_ids))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def propose_mentorship(
    *, actor: Any, senior: Firm, junior: Firm, starts_on: datetime.date, ends_on: datetime.date, goals: str
) -> Mentorship:
    if not may_pair(actor, junior):
        raise PermissionDenied(
            _("후배 기업의 지역 담당자·담당 코디네이터와 중앙연합회 담당자만 멘토링을 맺습니다.")
        )
    goals = (goals or "").strip()
    errors = {}
    if not goals:
        errors["goals"] = _("멘토링 목표를 입력해 주세요.")
    with transaction.atomic():
        _lock_firms(senior.pk, junior.pk)
        errors.update(mentoring.pair_refusal(senior.pk, junior.pk, starts_on, ends_on))
        if errors:
            raise ValidationError(errors)
        try:
            with transaction.atomic():
                pair = Mentorship.objects.create(
                    senior=senior,
                    junior=junior,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    goals=goals,
                    proposed_by=actor,
                )
        except IntegrityError as exc:  # the check constraints behind the rule
            raise ValidationError({"senior": _("멘토링을 맺을 수 없는 조합입니다.")}) from exc
        record_change(
            actor,
            "coaching.mentorship.create",
            pair,
            {
                "senior": senior.pk,
                "junior": junior.pk,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "goals": goals,
            },
        )
        # The senior firm's users are asked to start it.
        _tell(_firm_users(senior.pk), message_codes.MENTORSHIP_PROPOSED, pair)
    return pair


def move_mentorship(
    mentorship: Mentorship, move: str, *, actor: Any, expected_version: int | None = None
) -> Mentorship:
    """Move a pair along `mentoring.MOVES`; refused moves raise (PermissionDenied for a side not allowed)."""
    sides = mentoring.sides_of(actor, mentorship)
    with transaction.atomic():
        _lock_firms(mentorship.senior_id, mentorship.junior_id)
        lock_version(mentorship, expected_version)
        mentorship.refresh_from_db()
        refusal = mentoring.move_refusal(move, mentorship.state, sides)
        if refusal is not None:
            if move in mentoring.MOVES and not sides & mentoring.MOVES[move].sides:
                raise PermissionDenied(refusal)
            raise ValidationError(refusal, code="refused_move")
        target = mentoring.MOVES[move].target
        # Another pair of the same firms may have been started meanwhile: checked again under the lock.
        if target == Mentorship.State.ACTIVE and (
            mentoring.overlapping_pairs(
                mentorship.senior_id,
                mentorship.junior_id,
                mentorship.starts_on,
                mentorship.ends_on,
                exclude=mentorship.pk,
            )
            .filter(state=Mentorship.State.ACTIVE)
            .exists()
        ):
            raise ValidationError(_("같은 두 기업의 멘토링이 이 기간에 이미 진행 중입니다."), code="overlap")
        before = mentorship.state
        mentorship.state = target
        bump_version(mentorship)
        mentorship.save(update_fields=["state", "version", "updated_at"])
        record_change(
            actor, "coaching.mentorship.update", mentorship, {"state": [before, target], "move": move}
        )
        if target == Mentorship.State.ENDED:
            # Both sides are asked for their review.
            users = _firm_users(mentorship.senior_id, mentorship.junior_id)
            _tell(users, message_codes.MENTORSHIP_ENDED, mentorship)
    return mentorship


def _member_side(actor: Any, mentorship: Mentorship) -> Firm:
    """The firm `actor` writes for (the senior side first when a user holds both)."""
    firm_ids = scope_of(actor).firm_ids
    for firm in (mentorship.senior, mentorship.junior):
        if firm.pk in firm_ids:
            return firm
    raise PermissionDenied(_("멘토링을 맺은 두 기업의 사용자만 기록합니다."))


def log_mentoring_session(
    mentorship: Mentorship, *, actor: Any, held_on: datetime.date, notes: str
) -> MentoringSession:
    firm = _member_side(actor, mentorship)
    notes = (notes or "").strip()
    if not notes:
        raise ValidationError({"notes": _("멘토링 내용을 입력해 주세요.")})
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("만난 날은 오늘이나 그 전이어야 합니다.")})
    with transaction.atomic():
        state = (
            Mentorship.objects.select_for_update()
            .filter(pk=mentorship.pk)
            .values_list("state", flat=True)
            .get()
        )
        if state != Mentorship.State.ACTIVE:
            raise ValidationError({"notes": _("진행 중인 멘토링에만 기록을 남깁니다.")})
        if not mentorship.starts_on <= held_on <= mentorship.ends_on:
            raise ValidationError({"held_on": _("만난 날이 멘토링 기간 밖입니다.")})
        row = MentoringSession.objects.create(
            mentorship=mentorship, firm=firm, held_on=held_on, notes=notes[:4000], logged_by=actor
        )
        record_change(
            actor, "coaching.mentoring_session.create", mentorship, {"session": row.pk, "held_on": held_on}
        )
    return row


def review_mentorship(mentorship: Mentorship, *, actor: Any, body: str) -> MentorshipReview:
    """One short review per side once the pair has ended; the pair is complete with both."""
    firm = _member_side(actor, mentorship)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("소감을 입력해 주세요.")})
    with transaction.atomic():
        state = (
            Mentorship.objects.select_for_update()
            .filter(pk=mentorship.pk)
            .values_list("state", flat=True)
            .get()
        )
        if state != Mentorship.State.ENDED:
            raise ValidationError({"body": _("소감은 멘토링이 종료된 뒤에 남깁니다.")})
        if MentorshipReview.objects.filter(mentorship=mentorship, firm=firm).exists():
            raise ValidationError({"body": _("%(firm)s의 소감은 이미 남겼습니다.") % {"firm": firm.name}})
        review = MentorshipReview.objects.create(
            mentorship=mentorship, firm=firm, body=body[:2000], written_by=actor
        )
        record_change(actor, "coaching.mentorship.review", mentorship, {"firm": firm.pk, "body": body})
    return review
