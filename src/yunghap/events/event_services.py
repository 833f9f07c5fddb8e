"""Creating and changing events and their sessions (issue 11 §1): one transaction each, the event row
locked, an audit row (principle 1); the rules are `event_rules`' functions.

Sessions are part of their event: adding, changing or removing one checks and bumps the *event's*
version (a session form carries the version of the event it was read at), so an edit of the event and
an edit of its sessions never silently undo each other. A change of a session's time or place, and a
removed session, are told to every active registration (`notices.tell`, kind `change`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.versions import bump_version, lock_version
from yunghap.network.models import Federation, Firm

from . import event_rules as rules
from . import message_codes as codes
from . import registration
from .attendance_services import COMPLETION_FIELDS, recompute_if_attended
from .audience import AudienceSpec
from .models import Event, EventSession, Registration, email_key
from .notices import tell
from .scope import may_create_for

EVENT_FIELDS = (
    "title",
    "kind",
    "audience",
    "audience_region",
    "audience_group",
    "audience_consortium",
    "capacity",
    "registration_opens",
    "registration_closes",
    "cancellation_deadline",
    "fee",
    "offer_hours",
    "attended_share",
    "marks_per_absence",
    "late_after_minutes",
    "completion_threshold",
)
SESSION_FIELDS = ("starts_at", "ends_at", "place", "online_link", "hours", "capacity")


def _may_manage(actor: Any, event: Event) -> None:
    if actor is not None and not Event.objects.managed_by(actor).filter(pk=event.pk).exists():
        raise PermissionDenied(_("이 행사를 관리할 권한이 없습니다."))


def _event_errors(
    values: dict[str, Any], *, event: Event | None, first_start: datetime.datetime | None
) -> None:
    rules.refuse(
        {
            "registration_closes": (
                rules.window_order_error(values["registration_opens"], values["registration_closes"]),
                rules.CODES["window_order"],
            ),
            "capacity": (
                rules.capacity_error(values["capacity"], held=rules.holding_seats(event)),
                rules.CODES["capacity"],
            ),
            "cancellation_deadline": (
                rules.cancellation_deadline_error(values.get("cancellation_deadline"), first_start),
                rules.CODES["cancel_deadline"],
            ),
        }
    )


def create_event(
    *,
    actor: Any,
    code: str,
    title: str,
    kind: str,
    organiser: Federation | None,
    audience: AudienceSpec,
    capacity: int,
    registration_opens: datetime.date,
    registration_closes: datetime.date,
    cancellation_deadline: datetime.datetime | None = None,
    fee: int = 0,
    offer_hours: int = 48,
    attended_share: int = 50,
    marks_per_absence: int = 3,
    late_after_minutes: int = 10,
    completion_threshold: Decimal = Decimal("80.0"),
) -> Event:
    """A new event organised by `organiser` (None: a national event of the central federation)."""
    if actor is not None and not may_create_for(actor, organiser.pk if organiser else None):
        raise PermissionDenied(_("이 연합회의 행사를 만들 권한이 없습니다."))
    code = (code or "").strip()
    values: dict[str, Any] = {
        "title": (title or "").strip(),
        "kind": kind,
        **audience.as_fields(),
        "capacity": capacity,
        "registration_opens": registration_opens,
        "registration_closes": registration_closes,
        "cancellation_deadline": cancellation_deadline,
        "fee": fee,
        "offer_hours": offer_hours,
        "attended_share": attended_share,
        "marks_per_absence": marks_per_absence,
        "late_after_minutes": late_after_minutes,
        "completion_threshold": completion_threshold,
    }
    with transaction.atomic():
        rules.refuse({"code": (rules.code_error(code), rules.CODES["code"])})
        _event_errors(values, event=None, first_start=None)
        event = Event.objects.create(
            code=code,
            organiser=organiser,
            created_by=actor if getattr(actor, "pk", None) else None,
            **values,
        )
        record_change(actor, "events.event.create", event, {"code": code, "title": values["title"]})
    return event


def update_event(event: Event, *, actor: Any, expected_version: int | None, **changes: Any) -> Event:
    """Change the event's fields (`EVENT_FIELDS`; `audience` may be an `AudienceSpec`). Raises `StaleEdit`
    when someone else changed the event (or its sessions) after the form was read."""
    audience = changes.pop("audience", None)
    if isinstance(audience, AudienceSpec):
        changes.update(audience.as_fields())
    elif audience is not None:
        changes["audience"] = audience
    unknown = set(changes) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields {sorted(unknown)}")
    with transaction.atomic():
        lock_version(event, expected_version)
        current = Event.objects.get(pk=event.pk)
        _may_manage(actor, current)
        if "title" in changes:
            changes["title"] = (changes["title"] or "").strip()
        values = {name: changes.get(name, getattr(current, name)) for name in EVENT_FIELDS}
        _event_errors(values, event=current, first_start=current.first_session_start())
        diff = {}
        for name, value in changes.items():
            before = getattr(current, name)
            if before != value:
                diff[name] = [
                    str(before) if before is not None else None,
                    str(value) if value is not None else None,
                ]
                setattr(current, name, value)
        if diff:
            bump_version(current)
            current.save()
            record_change(actor, "events.event.update", current, diff)
            if diff.keys() & COMPLETION_FIELDS:
                recompute_if_attended(current, actor=actor)
    event.refresh_from_db()
    return event


def _session_values(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "starts_at": values["starts_at"],
        "ends_at": values["ends_at"],
        "place": (values.get("place") or "").strip(),
        "online_link": (values.get("online_link") or "").strip(),
        "hours": values.get("hours"),
        "capacity": values.get("capacity"),
    }


def _session_errors(event: Event, values: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    starts, ends = values["starts_at"], values["ends_at"]
    time_error = rules.session_time_error(starts, ends)
    errors: dict[str, tuple[str | None, str]] = {
        "ends_at": (time_error, rules.CODES["session_time"]),
        "place": (
            rules.session_place_error(values["place"], values["online_link"]),
            rules.CODES["session_place"],
        ),
        "hours": (rules.hours_error(values["hours"]), rules.CODES["hours"]),
    }
    if values["capacity"] is not None:
        errors["capacity"] = (
            rules.capacity_error(values["capacity"], held=rules.holding_seats(event)),
            rules.CODES["capacity"],
        )
    if time_error is None:
        errors["starts_at"] = (
            rules.session_overlap_error(event, starts, ends, exclude_pk=exclude_pk),
            rules.CODES["session_overlap"],
        )
        errors["__all__"] = (
            rules.cancellation_deadline_error(
                event.cancellation_deadline,
                rules.first_start_with(event, starts_at=starts, exclude_pk=exclude_pk),
            ),
            rules.CODES["cancel_deadline"],
        )
    rules.refuse(errors)


def _locked_event(event: Event, actor: Any, expected_version: int | None) -> Event:
    lock_version(event, expected_version)
    current = Event.objects.get(pk=event.pk)
    _may_manage(actor, current)
    return current


def _bump_event(event: Event) -> None:
    bump_version(event)
    Event.objects.filter(pk=event.pk).update(version=event.version)


def _active(event: Event) -> list[Registration]:
    return list(
        Registration.objects.filter(event=event, status__in=Registration.ACTIVE)
        .select_related("event", "user", "registered_by")
        .order_by("queue_position")
    )


def add_session(
    event: Event,
    *,
    actor: Any,
    expected_version: int | None = None,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str = "",
    online_link: str = "",
    hours: Decimal | None = None,
    capacity: int | None = None,
) -> EventSession:
    values = _session_values(
        {
            "starts_at": starts_at,
            "ends_at": ends_at,
            "place": place,
            "online_link": online_link,
            "hours": hours,
            "capacity": capacity,
        }
    )
    with transaction.atomic():
        current = _locked_event(event, actor, expected_version)
        _session_errors(current, values)
        session = EventSession.objects.create(event=current, **values)
        _bump_event(current)
        record_change(actor, "events.session.create", session, {k: v for k, v in values.items()})
        recompute_if_attended(current, actor=actor)
    event.refresh_from_db()
    return session


def update_session(
    session: EventSession, *, actor: Any, expected_version: int | None = None, **changes: Any
) -> EventSession:
    """Change a session; a new time or place is told to everyone registered (kind `change`)."""
    unknown = set(changes) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields {sorted(unknown)}")
    with transaction.atomic():
        event = _locked_event(session.event, actor, expected_version)
        current = EventSession.objects.select_for_update().get(pk=session.pk)
        values = _session_values({**{n: getattr(current, n) for n in SESSION_FIELDS}, **changes})
        _session_errors(event, values, exclude_pk=current.pk)
        before_when = f"{rules.kst(current.starts_at)}~{timezone_hm(current.ends_at)}"
        diff = {}
        for name, value in values.items():
            if getattr(current, name) != value:
                diff[name] = [str(getattr(current, name)), str(value)]
                setattr(current, name, value)
        if not diff:
            return current
        if current.hours is None:
            current.hours = current.length_hours
        current.save()
        _bump_event(event)
        record_change(actor, "events.session.update", current, diff)
        if diff.keys() & {"starts_at", "ends_at", "hours"}:
            recompute_if_attended(event, actor=actor)
        if diff.keys() & {"starts_at", "ends_at", "place", "online_link"}:
            after_when = f"{rules.kst(current.starts_at)}~{timezone_hm(current.ends_at)}"
            where = current.place or current.online_link
            for registration in _active(event):
                tell(
                    registration,
                    codes.SESSION_CHANGED,
                    kind="change",
                    before=before_when,
                    after=after_when,
                    place=where,
                )
    session.refresh_from_db()
    return current


def remove_session(session: EventSession, *, actor: Any, expected_version: int | None = None) -> Event:
    """Remove a session (its attendance goes with it); everyone registered is told (kind `change`)."""
    with transaction.atomic():
        event = _locked_event(session.event, actor, expected_version)
        current = EventSession.objects.select_for_update().get(pk=session.pk)
        rules.refuse({"__all__": (rules.session_removal_error(current), rules.CODES["session_removal"])})
        when = rules.kst(current.starts_at)
        record_change(actor, "events.session.delete", current, {"starts_at": when})
        current.delete()
        _bump_event(event)
        recompute_if_attended(event, actor=actor)
        for registration in _active(event):
            tell(registration, codes.SESSION_REMOVED, kind="change", when=when)
    return event


def timezone_hm(moment: datetime.datetime) -> str:
    """`HH:MM` in Korean time."""
    return timezone.localtime(moment).strftime("%H:%M")


def register_people(event: Event, *, firm: Firm, people: Sequence[Any], actor: Any) -> list[Registration]:
    """A firm's user registers several employees at once (rows with `number`, `name`, `email`): all or
    nothing. Every row is tried, in order, against the registrations before it; when any row is refused
    nothing is saved and the ValidationError lists every refused row (`N번: message`)."""
    errors: list[ValidationError] = []
    done: list[Registration] = []
    with transaction.atomic():
        seen: dict[str, int] = {}
        for person in people:
            key = email_key(person.email)
            if key and key in seen:
                errors.append(
                    ValidationError(
                        fill(
                            _("%(n)s번: %(email)s은(는) %(first)s번과 같은 이메일입니다."),
                            {"n": person.number, "email": person.email, "first": seen[key]},
                        ),
                        code="duplicate",
                    )
                )
                continue
            seen[key] = person.number
            try:
                done.append(
                    registration.register(event, name=person.name, email=person.email, firm=firm, actor=actor)
                )
            except ValidationError as refused:
                for message in refused.messages:
                    errors.append(
                        ValidationError(
                            _("%(n)s번: %(message)s") % {"n": person.number, "message": message},
                            code=getattr(refused, "code", None) or "row",
                        )
                    )
        if errors:
            # Raised inside the transaction: every registration of this form is rolled back.
            raise ValidationError(errors)
    return done
