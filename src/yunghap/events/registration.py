"""Registration with a fair waiting list (issue 11 §2): the rules, one function each, used by the pages,
the import and the CLI alike.

Fairness comes from one lock: every change of an event's registrations first locks the `Event` row
(`select_for_update`), so registrations, cancellations, offers and expiries of one event happen one after
the other, also when hundreds press at once on PostgreSQL (SQLite serialises write transactions anyway).
Under that lock a registration gets the next `queue_position`, and:

- it is confirmed while a seat is left *and nobody is waiting* (a newcomer never passes someone in line),
  else it waits;
- a freed seat (cancellation, expired offer) is offered to the first waiting person (lowest position), who
  has `Event.offer_hours` hours to take it (capped at the start of the first session: an offer must be
  answerable before the event); an untaken offer expires (`expire_offers`, the scheduled command
  `yunghap expire_offers`): the registration is cancelled (reason `offer_expired`) and the seat goes to
  the next in line.

Whose e-mail (decision, docs/decisions.md): an address is another firm's when an active account with that
address has firm-user grants and none for the firm registering, or when it is at the mail domain of
the one other firm whose registered e-mail uses that domain, while not at the registering firm's own
(public mail services such as naver.com, `PUBLIC_MAIL_DOMAINS`, and domains several firms share do not
count as a firm's domain).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.models import RoleGrant, User
from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.korean import fill
from yunghap.core.versions import bump_version
from yunghap.network.models import Firm

from . import message_codes as codes
from .audience import audience_error
from .models import Event, Registration, email_key
from .notices import tell as _tell

Status = Registration.Status

# Mail services anyone can use: their domain says nothing about a person's firm.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "naver.com",
        "daum.net",
        "hanmail.net",
        "kakao.com",
        "nate.com",
        "gmail.com",
        "hotmail.com",
        "outlook.com",
        "live.com",
        "yahoo.com",
        "yahoo.co.kr",
        "icloud.com",
    }
)


def kst(moment: datetime.datetime) -> str:
    """`YYYY-MM-DD HH:MM` in Korean time, as in files and on pages."""
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# ---------------------------------------------------------------------------------------------- rules


def window_error(event: Event, at: datetime.datetime) -> str | None:
    """None when `at` (KST date) is inside the registration window, both days included."""
    day = timezone.localdate(at)
    dates = {"opens": event.registration_opens.isoformat(), "closes": event.registration_closes.isoformat()}
    if day < event.registration_opens:
        return _("아직 신청 기간이 아닙니다. 신청은 %(opens)s부터 %(closes)s까지 받습니다.") % dates
    if day > event.registration_closes:
        return _("신청 기간(%(opens)s ~ %(closes)s)이 끝났습니다.") % dates
    return None


def person_error(name: str, email: str) -> str | None:
    if not name.strip():
        return _("참가자 이름을 입력해 주세요.")
    try:
        validate_email(email.strip())
    except ValidationError:
        return fill(_("이메일 주소 '%(email)s'이(가) 올바르지 않습니다."), {"email": email.strip()})
    return None


def email_firm_error(email: str, *, firm: Firm | None, user: Any = None) -> str | None:
    """None unless the address belongs to another firm than the one registering (see the module doc)."""
    address = email.strip()
    owners = User.objects.filter(email__iexact=address, is_active=True)
    if user is not None and getattr(user, "pk", None):
        owners = owners.exclude(pk=user.pk)
    for owner in owners:
        owner_firms = set(
            RoleGrant.objects.filter(user=owner, firm__isnull=False).values_list("firm_id", flat=True)
        )
        if owner_firms and (firm is None or firm.pk not in owner_firms):
            other = Firm.objects.filter(pk__in=owner_firms).order_by("name").first()
            return _message_other_firm(address, other)
    domain = email_key(address).rpartition("@")[2]
    if firm is None or not domain or domain in PUBLIC_MAIL_DOMAINS:
        return None
    if email_key(firm.email).endswith("@" + domain):
        return None
    # A domain several firms use (a shared host, example.com) says nothing; one other firm's own does.
    at_domain = list(Firm.objects.filter(email__iendswith="@" + domain).order_by("pk")[:2])
    if len(at_domain) == 1 and at_domain[0].pk != firm.pk:
        return _message_other_firm(address, at_domain[0])
    return None


def _message_other_firm(address: str, other: Firm | None) -> str:
    return _(
        "%(email)s은(는) 다른 회원사(%(firm)s)의 이메일입니다. 소속 회원사의 이메일로 신청해 주세요."
    ) % {
        "email": address,
        "firm": other,
    }


def duplicate_error(event: Event, email: str) -> str | None:
    taken = Registration.objects.filter(
        event=event, email_key=email_key(email), status__in=Registration.ACTIVE
    )
    if taken.exists():
        return _("%(email)s은(는) 이미 이 행사에 신청되어 있습니다.") % {"email": email.strip()}
    return None


def cancellation_error(registration: Registration, now: datetime.datetime) -> str | None:
    if registration.status == Status.CANCELLED:
        return _("이미 취소된 신청입니다.")
    deadline = registration.event.cancellation_deadline_at()
    if deadline is not None and now > deadline:
        return _("취소 기한(%(deadline)s)이 지나 취소할 수 없습니다.") % {"deadline": kst(deadline)}
    return None


def offer_error(registration: Registration, now: datetime.datetime) -> str | None:
    if registration.status == Status.CONFIRMED:
        return _("이미 확정된 신청입니다.")
    if registration.status != Status.OFFERED or registration.offer_expires_at is None:
        return _("이 신청에는 제안된 좌석이 없습니다.")
    if now > registration.offer_expires_at:
        return _("좌석 제안의 수락 기한(%(expires)s)이 지나 좌석을 받을 수 없습니다.") % {
            "expires": kst(registration.offer_expires_at)
        }
    return None


def seats_left(event: Event) -> int:
    holding = Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT).count()
    return max(event.seats - holding, 0)


def offer_expiry(event: Event, now: datetime.datetime) -> datetime.datetime:
    """`offer_hours` from now, but not after the start of the first session when that is still ahead."""
    expires = now + datetime.timedelta(hours=event.offer_hours)
    start = event.first_session_start()
    if start is not None and now < start < expires:
        return start
    return expires


def may_change(registration: Registration, user: Any) -> bool:
    """Who may cancel a registration or take its offered seat: the person (their account), whoever
    registered them, the users of its firm, central staff, and the staff of the organising federation."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    scope = scope_of(user)
    return bool(
        user.pk in (registration.user_id, registration.registered_by_id)
        or (registration.firm_id is not None and registration.firm_id in scope.firm_ids)
        or scope.central
        or (
            registration.event.organiser_id is not None
            and registration.event.organiser_id in scope.region_ids
        )
    )


def may_register(actor: Any, *, firm: Firm | None, user: Any) -> bool:
    """Who may register whom: federation staff anyone; a firm's users the firm's people (`firm`); anybody
    else only themselves (`user` is the actor, without a firm or for their own firm)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    scope = scope_of(actor)
    if scope.staff:
        return True
    if firm is not None:
        return firm.pk in scope.firm_ids
    return user is not None and user.pk == actor.pk


def _check_actor(registration: Registration, actor: Any) -> None:
    """A person acting (a page) must be allowed; `actor=None` is the system (the CLI, a scheduled job)."""
    if actor is not None and not may_change(registration, actor):
        raise PermissionDenied(_("이 신청을 변경할 권한이 없습니다."))


def _refuse(message: str | None, code: str) -> None:
    if message:
        raise ValidationError(message, code=code)


# ------------------------------------------------------------------------------------------- services


def register(
    event: Event,
    *,
    name: str,
    email: str,
    firm: Firm | None = None,
    user: Any = None,
    actor: Any = None,
    at: datetime.datetime | None = None,
) -> Registration:
    """Register one person: confirmed while seats are left and nobody waits, else waiting in order.

    `at` is the moment of the registration (an import's `registered_at`; now by default): the window is
    judged by it. `actor` is who acts (`may_register`); None is the system (an import, the CLI). Raises ValidationError (Korean message, a code) when a rule refuses."""
    if actor is not None and not may_register(actor, firm=firm, user=user):
        raise PermissionDenied(_("이 신청을 할 권한이 없습니다."))
    name, email = name.strip(), email.strip()
    _refuse(person_error(name, email), "person")
    # Whose address it is does not depend on the event: judged before the lock, to keep the lock short.
    _refuse(email_firm_error(email, firm=firm, user=user), "other_firm")
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        # Read the clock once the lock is held: the line's order and the registration times then agree.
        now = at or timezone.now()
        _refuse(window_error(locked, now), "window")
        _refuse(audience_error(locked, firm=firm, user=user, on=timezone.localdate(now)), "audience")
        _refuse(duplicate_error(locked, email), "duplicate")
        last = Registration.objects.filter(event=locked).aggregate(last=Max("queue_position"))["last"] or 0
        nobody_waiting = not Registration.objects.filter(event=locked, status=Status.WAITING).exists()
        confirmed = nobody_waiting and seats_left(locked) > 0
        registration = Registration.objects.create(
            event=locked,
            name=name,
            email=email,
            firm=firm,
            user=user if getattr(user, "pk", None) else None,
            registered_by=actor if getattr(actor, "pk", None) else None,
            registered_at=now,
            status=Status.CONFIRMED if confirmed else Status.WAITING,
            confirmed_at=now if confirmed else None,
            queue_position=last + 1,
        )
        record_change(
            actor,
            "events.register",
            registration,
            {"status": registration.status, "queue_position": registration.queue_position},
        )
        if confirmed:
            _tell(registration, codes.REGISTRATION_CONFIRMED)
        else:
            place = Registration.objects.filter(
                event=locked, status=Status.WAITING, queue_position__lte=registration.queue_position
            ).count()
            _tell(registration, codes.REGISTRATION_WAITING, place=place)
            # Seats may be free while people wait (the capacity was raised): they go to the line, in order.
            offer_free_seats(locked, now)
    return registration


def cancel(
    registration: Registration, *, actor: Any = None, now: datetime.datetime | None = None
) -> Registration:
    """Cancel until the event's cancellation deadline; a freed seat is offered to the first waiting."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.event = event
        _check_actor(current, actor)
        _refuse(cancellation_error(current, now), "cancel")
        held_seat = current.status in Registration.HOLDING_SEAT
        before = current.status
        current.status = Status.CANCELLED
        current.end_reason = Registration.EndReason.CANCELLED
        current.ended_at = now
        bump_version(current)
        current.save()
        record_change(actor, "events.cancel", current, {"status": [before, current.status]})
        _tell(current, codes.REGISTRATION_CANCELLED)
        if held_seat:
            offer_free_seats(event, now)
    return current


def take_offer(
    registration: Registration, *, actor: Any = None, now: datetime.datetime | None = None
) -> Registration:
    """Take an offered seat before the offer expires."""
    now = now or timezone.now()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=registration.event_id)
        current = Registration.objects.select_for_update().get(pk=registration.pk)
        current.event = event
        _check_actor(current, actor)
        _refuse(offer_error(current, now), "offer")
        current.status = Status.CONFIRMED
        current.confirmed_at = now
        bump_version(current)
        current.save()
        record_change(actor, "events.take_offer", current, {"status": [Status.OFFERED, Status.CONFIRMED]})
        _tell(current, codes.REGISTRATION_CONFIRMED)
    return current


def expire_offers(now: datetime.datetime | None = None) -> dict[str, int]:
    """Cancel offers not taken in time and pass each seat to the next waiting (scheduled command)."""
    now = now or timezone.now()
    counts = {"expired": 0, "offered": 0}
    due = Registration.objects.filter(status=Status.OFFERED, offer_expires_at__lt=now)
    for event_id in sorted(set(due.values_list("event_id", flat=True))):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            for offer in due.filter(event=event).select_for_update().order_by("queue_position"):
                expires = offer.offer_expires_at
                offer.status = Status.CANCELLED
                offer.end_reason = Registration.EndReason.OFFER_EXPIRED
                offer.ended_at = now
                bump_version(offer)
                offer.save()
                record_change(
                    None, "events.offer_expired", offer, {"status": [Status.OFFERED, Status.CANCELLED]}
                )
                _tell(offer, codes.OFFER_EXPIRED, expires=kst(expires) if expires else "")
                counts["expired"] += 1
            counts["offered"] += len(offer_free_seats(event, now))
    return counts


def offer_free_seats(event: Event, now: datetime.datetime) -> list[Registration]:
    """Offer every free seat to the first waiting people, in line order. Call with the event locked."""
    offered: list[Registration] = []
    free = seats_left(event)
    if free <= 0:
        return offered
    waiting = Registration.objects.filter(event=event, status=Status.WAITING).order_by("queue_position")
    for registration in waiting.select_for_update()[:free]:
        registration.status = Status.OFFERED
        registration.offered_at = now
        registration.offer_expires_at = offer_expiry(event, now)
        bump_version(registration)
        registration.save()
        record_change(
            None,
            "events.offer",
            registration,
            {"status": [Status.WAITING, Status.OFFERED], "offer_expires_at": registration.offer_expires_at},
        )
        _tell(registration, codes.REGISTRATION_OFFERED, expires=kst(registration.offer_expires_at))
        offered.append(registration)
    return offered
