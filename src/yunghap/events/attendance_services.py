"""Attendance, check-in and completion certificates (issue 11 §3): the one place attendance is written.

`record_attendance` (staff list edit, the attendance import) and `check_in` (the staff list button, the QR
scan) both run under the event's row lock (`select_for_update`, as registration does), so two scanners at
one door, an import and a staff edit of one event happen one after the other. After every write the
registration's completion is computed again by `completion.compute_completion` from its stored
`Attendance` rows and stored on the registration (`hours_attended`, `attendance_rate`, `completed`), and its
certificate follows:

- completed and no valid certificate: a certificate is issued (the event's next `seq`, numbered by
  `certificates.certificate_number`, with the name, hours and rate as they are now);
- a correction makes it not completed: the valid certificate is revoked, with a reason;
- still completed but the hours or the rate changed: the valid one is revoked and a new one issued
  (a certificate is never changed after issue; the public page says a revoked number was revoked).

The rules are functions returning a `Refusal` (a code and a Korean message) or None; the pages and the
import call the same ones. Check-in opens `CHECK_IN_OPENS_MINUTES` before a session starts; a check-in
later than the event's `late_after_minutes` (default 10) after the start is recorded as late.

The participant's pass (입장권) carries a signed token (`pass_token`): the registration's id and event id,
signed with the project's secret and its own salt. It holds no personal data, cannot be forged, and
names one registration of one event.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change

from . import message_codes as codes
from .certificates import certificate_number
from .completion import Completion, Presence, SessionSpec, compute_completion
from .completion import Settings as CompletionSettings
from .models import Attendance, Certificate, Event, EventSession, Registration
from .notices import tell
from .registration import kst

Status = Registration.Status
CHECK_IN_OPENS_MINUTES = 30
# A namespace for the signature (django.core.signing), not a secret: the secret is SECRET_KEY.
PASS_SALT = "yunghap.events.pass"  # noqa: S105


@dataclass(frozen=True)
class Refusal:
    code: str
    message: str


def _refuse(refusal: Refusal | None) -> None:
    if refusal is not None:
        raise ValidationError(refusal.message, code=refusal.code)


def late_grace(event: Event) -> datetime.timedelta:
    return datetime.timedelta(minutes=event.late_after_minutes)


def session_minutes(session: EventSession) -> int:
    return int((session.ends_at - session.starts_at).total_seconds()) // 60


# ---------------------------------------------------------------------------------------------- rules


def other_event_error(registration: Registration, session: EventSession) -> Refusal | None:
    if registration.event_id != session.event_id:
        return Refusal(
            "other_event", _("이 신청은 다른 행사의 신청입니다. 이 회차에서 출석을 확인할 수 없습니다.")
        )
    return None


def registration_error(registration: Registration) -> Refusal | None:
    """Only a confirmed registration attends: not one cancelled, waiting or with an untaken offer."""
    if registration.status == Status.CANCELLED:
        return Refusal("cancelled", _("취소된 신청입니다. 출석을 기록할 수 없습니다."))
    if registration.status != Status.CONFIRMED:
        return Refusal(
            "not_confirmed",
            _("확정되지 않은 신청입니다(%(status)s). 확정된 참가자만 출석할 수 있습니다.")
            % {"status": registration.get_status_display()},
        )
    return None


def not_started_error(session: EventSession, at: datetime.datetime) -> Refusal | None:
    """Check-in opens `CHECK_IN_OPENS_MINUTES` before the start; nothing is recorded for a later session."""
    opens = session.starts_at - datetime.timedelta(minutes=CHECK_IN_OPENS_MINUTES)
    if at < opens:
        return Refusal(
            "not_started",
            _("아직 시작하지 않은 회차입니다. 출석 확인은 %(opens)s부터 할 수 있습니다.")
            % {"opens": kst(opens)},
        )
    return None


def minutes_error(session: EventSession, minutes_present: int) -> Refusal | None:
    length = session_minutes(session)
    if minutes_present < 0 or minutes_present > length:
        return Refusal(
            "minutes",
            _("참석 시간은 0분에서 회차 길이 %(length)s분 사이여야 합니다 (입력: %(minutes)s분).")
            % {"length": length, "minutes": minutes_present},
        )
    return None


def attendance_errors(
    registration: Registration,
    session: EventSession,
    at: datetime.datetime,
    minutes_present: int | None = None,
) -> list[Refusal]:
    """Every rule a recording breaks, in the order people fix them (the import lists them all)."""
    found = [
        other_event_error(registration, session),
        registration_error(registration),
        not_started_error(session, at),
        minutes_error(session, minutes_present) if minutes_present is not None else None,
    ]
    return [refusal for refusal in found if refusal is not None]


def _check_actor(event: Event, actor: Any) -> None:
    """A person must run the event (`Event.objects.managed_by`); `actor=None` is the system (an import)."""
    if actor is not None and not Event.objects.managed_by(actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("이 행사의 출석을 관리할 권한이 없습니다."))


# ------------------------------------------------------------------------------------------ the pass


def pass_token(registration: Registration) -> str:
    """The signed token of the registration's pass (QR code): ids only, no personal data."""
    # No timestamp: the same pass every time it is opened or printed.
    return signing.Signer(salt=PASS_SALT).sign_object({"r": registration.pk, "e": registration.event_id})


def registration_of_token(token: str) -> Registration | None:
    """The registration a pass token names, or None for anything that is not a valid token."""
    try:
        data = signing.Signer(salt=PASS_SALT).unsign_object((token or "").strip())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("r"), int) or not isinstance(data.get("e"), int):
        return None
    return Registration.objects.filter(pk=data["r"], event_id=data["e"]).select_related("event").first()


def token_error() -> Refusal:
    return Refusal("token", _("올바른 입장권 QR 코드가 아닙니다. 입장권을 다시 열어 보여 주세요."))


# ------------------------------------------------------------------------------------------ services


@dataclass(frozen=True)
class CheckIn:
    attendance: Attendance
    already: bool  # the person had checked in (or had attendance recorded) before: nothing changed


def check_in(
    registration: Registration,
    session: EventSession,
    *,
    actor: Any,
    at: datetime.datetime | None = None,
    method: str = Attendance.Method.LIST,
) -> CheckIn:
    """Check a person in (staff list button or QR scan). Checking in twice changes nothing (`already`)."""
    # Another event's pass says so to whoever scans it, before any lock or permission of that event.
    _refuse(other_event_error(registration, session))
    with transaction.atomic():
        event, current = _lock(registration, session)
        _check_actor(event, actor)
        now = at or timezone.now()
        _refuse(registration_error(current))
        existing = Attendance.objects.filter(registration=current, session=session).first()
        if existing is not None:
            return CheckIn(existing, already=True)
        _refuse(not_started_error(session, now))
        attendance = Attendance.objects.create(
            registration=current,
            session=session,
            checked_in_at=now,
            minutes_present=session_minutes(session),
            late=now > session.starts_at + late_grace(event),
            left_early=False,
            method=method,
            recorded_by=actor if getattr(actor, "pk", None) else None,
            recorded_at=now,
        )
        record_change(
            actor,
            "events.check_in",
            attendance,
            {"method": method, "late": attendance.late, "minutes_present": attendance.minutes_present},
        )
        recompute(event, current, actor=actor, now=now)
    return CheckIn(attendance, already=False)


def record_attendance(
    registration: Registration,
    session: EventSession,
    *,
    minutes_present: int,
    late: bool,
    left_early: bool,
    method: str,
    actor: Any,
    at: datetime.datetime | None = None,
) -> Attendance:
    """Record (or correct) what a person attended of a session; the same values again change nothing."""
    _refuse(other_event_error(registration, session))
    with transaction.atomic():
        event, current = _lock(registration, session)
        _check_actor(event, actor)
        now = at or timezone.now()
        for refusal in attendance_errors(current, session, now, minutes_present):
            _refuse(refusal)
        attendance = Attendance.objects.filter(registration=current, session=session).first()
        values = {"minutes_present": minutes_present, "late": bool(late), "left_early": bool(left_early)}
        if attendance is None:
            attendance = Attendance.objects.create(
                registration=current,
                session=session,
                method=method,
                recorded_by=actor if getattr(actor, "pk", None) else None,
                recorded_at=now,
                **values,
            )
            record_change(actor, "events.attendance", attendance, values)
        else:
            before = {name: getattr(attendance, name) for name in values}
            if before == values:
                return attendance
            for name, value in values.items():
                setattr(attendance, name, value)
            attendance.method = method
            attendance.recorded_by = actor if getattr(actor, "pk", None) else None
            attendance.recorded_at = now
            attendance.save()
            record_change(
                actor,
                "events.attendance",
                attendance,
                {name: [before[name], value] for name, value in values.items() if before[name] != value},
            )
        recompute(event, current, actor=actor, now=now)
    return attendance


def _lock(registration: Registration, session: EventSession) -> tuple[Event, Registration]:
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    current = Registration.objects.select_for_update().get(pk=registration.pk)
    current.event = event
    return event, current


def completion_of(event: Event, registration: Registration) -> Completion:
    """The registration's completion from its stored attendance (the event's own settings)."""
    sessions = list(event.sessions.order_by("starts_at"))
    specs = [SessionSpec(str(s.pk), s.starts_at, s.ends_at, s.hours) for s in sessions]
    presences = [
        Presence(str(a.session_id), a.minutes_present, a.late, a.left_early)
        for a in Attendance.objects.filter(registration=registration, session__event=event)
    ]
    rules = CompletionSettings(
        attended_share=event.attended_share,
        marks_per_absence=event.marks_per_absence,
        threshold=event.completion_threshold,
    )
    return compute_completion(specs, presences, rules)


def recompute(event: Event, registration: Registration, *, actor: Any, now: datetime.datetime) -> Completion:
    """Store the completion and make the certificate agree with it. Call with the event row locked."""
    result = completion_of(event, registration)
    stored = (registration.hours_attended, registration.attendance_rate, registration.completed)
    if stored != (result.hours_attended, result.attendance_rate, result.completed):
        registration.hours_attended = result.hours_attended
        registration.attendance_rate = result.attendance_rate
        registration.completed = result.completed
        registration.save(update_fields=["hours_attended", "attendance_rate", "completed"])
    valid = Certificate.objects.filter(registration=registration, revoked_at__isnull=True).first()
    if valid is not None and not result.completed:
        _revoke(valid, _("출석 정정으로 수료 기준에 미달하게 되었습니다."), actor=actor, now=now)
    elif valid is not None and (valid.hours, valid.attendance_rate) != (
        result.hours_attended,
        result.attendance_rate,
    ):
        _revoke(valid, _("출석 정정으로 이수 시간이 바뀌어 새 수료증을 발급했습니다."), actor=actor, now=now)
        _issue(event, registration, result, actor=actor, now=now)
    elif valid is None and result.completed:
        _issue(event, registration, result, actor=actor, now=now)
    return result


# The event's fields that change how completion is computed from the same attendance.
COMPLETION_FIELDS = frozenset({"attended_share", "marks_per_absence", "completion_threshold"})


def recompute_if_attended(event: Event, *, actor: Any) -> None:
    """Sessions or completion settings changed (the event form, the imports): the stored completion and the
    certificates follow at once, in the caller's transaction; nothing to do while no attendance is recorded."""
    if Attendance.objects.filter(registration__event=event).exists():
        recompute_event(event, actor=actor)


def recompute_event(event: Event, *, actor: Any, now: datetime.datetime | None = None) -> int:
    """Recompute every registration's completion after the event's sessions or completion settings
    changed (for the event edit service to call in its transaction); returns how many changed."""
    changed = 0
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        moment = now or timezone.now()
        for registration in Registration.objects.filter(event=locked).select_for_update().order_by("pk"):
            before = (registration.hours_attended, registration.attendance_rate, registration.completed)
            result = recompute(locked, registration, actor=actor, now=moment)
            changed += before != (result.hours_attended, result.attendance_rate, result.completed)
    return changed


def event_code_for_number(event: Event) -> str:
    """An event code as certificate numbers write it (letters, digits and hyphens, upper case)."""
    return event.code.upper().replace("_", "-").strip("-")


def _issue(
    event: Event, registration: Registration, result: Completion, *, actor: Any, now: datetime.datetime
) -> Certificate:
    last = Certificate.objects.filter(event=event).aggregate(last=Max("seq"))["last"] or 0
    seq = last + 1
    certificate = Certificate.objects.create(
        registration=registration,
        event=event,
        number=certificate_number(event_code_for_number(event), seq),
        seq=seq,
        holder_name=registration.name,
        hours=result.hours_attended,
        attendance_rate=result.attendance_rate,
        issued_at=now,
    )
    record_change(
        actor,
        "events.certificate_issue",
        certificate,
        {"registration": registration.pk, "hours": certificate.hours, "rate": certificate.attendance_rate},
    )
    tell(registration, codes.CERTIFICATE_ISSUED, number=certificate.number)
    return certificate


def _revoke(certificate: Certificate, reason: str, *, actor: Any, now: datetime.datetime) -> None:
    certificate.revoked_at = now
    certificate.revoke_reason = reason[:200]
    certificate.save(update_fields=["revoked_at", "revoke_reason"])
    record_change(actor, "events.certificate_revoke", certificate, {"reason": reason})
    tell(certificate.registration, codes.CERTIFICATE_REVOKED, number=certificate.number)


def valid_certificate(registration: Registration) -> Certificate | None:
    return Certificate.objects.filter(registration=registration, revoked_at__isnull=True).first()


def hours_text(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
