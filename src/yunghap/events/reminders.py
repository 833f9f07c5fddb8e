"""The reminder the day before (issue 11 §2): `yunghap remind_events` tells every confirmed registration of
an event whose first session starts tomorrow (KST), exactly once.

Once: each reminder is an `EventReminder` row, unique per registration, inserted in the same transaction
as the notice. Run twice, the second run finds the rows and sends nothing; run concurrently on PostgreSQL,
the second insert waits for the first transaction and then fails on the unique constraint, so that
registration is skipped (its notice left with the first run). A person who turned reminders off gets a
row all the same (`delivered=False`): the reminder is done, not put off.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Min
from django.utils import timezone

from . import message_codes as codes
from .models import EventReminder, EventSession, Registration
from .notices import tell
from .registration import kst


def tomorrow_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The start and end of tomorrow in Korean time."""
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    start = timezone.make_aware(datetime.datetime.combine(tomorrow, datetime.time.min))
    return start, timezone.make_aware(
        datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time.min)
    )


def send_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    """Remind the confirmed registrations of the events starting tomorrow; counts by outcome."""
    now = now or timezone.now()
    start, end = tomorrow_bounds(now)
    counts = {"events": 0, "sent": 0, "turned_off": 0, "already": 0}
    firsts = (
        EventSession.objects.values("event_id")
        .annotate(first=Min("starts_at"))
        .filter(first__gte=start, first__lt=end)
        .order_by("event_id")
    )
    for row in firsts:
        counts["events"] += 1
        session = EventSession.objects.select_related("event").get(
            event_id=row["event_id"], starts_at=row["first"]
        )
        confirmed = Registration.objects.filter(
            event_id=row["event_id"], status=Registration.Status.CONFIRMED
        )
        done = set(
            EventReminder.objects.filter(registration__in=confirmed).values_list("registration_id", flat=True)
        )
        counts["already"] += len(done)
        for registration_id in (
            confirmed.exclude(pk__in=done).order_by("queue_position").values_list("pk", flat=True)
        ):
            outcome = _remind(registration_id, session, now)
            counts[outcome] += 1
    return counts


def _remind(registration_id: int, session: EventSession, now: datetime.datetime) -> str:
    try:
        with transaction.atomic():
            reminder = EventReminder.objects.create(
                registration_id=registration_id, session=session, sent_at=now
            )
            registration = (
                Registration.objects.select_for_update(of=("self",))
                .select_related("event", "user", "registered_by")
                .get(pk=registration_id)
            )
            if registration.status != Registration.Status.CONFIRMED:
                transaction.set_rollback(True)  # cancelled meanwhile: no reminder, no row
                return "already"
            told = tell(
                registration,
                codes.EVENT_REMINDER,
                kind="reminder",
                starts=kst(session.starts_at),
                place=session.place or session.online_link,
            )
            if not told:
                reminder.delivered = False
                reminder.save(update_fields=["delivered"])
            return "sent" if told else "turned_off"
    except IntegrityError:
        return "already"  # another run reminded this registration first
