"""`yunghap proposals_remind` (scheduled daily): what reads may not do — persist and notify.

- the author of a proposal still open 30 days after submission is told once (`author_reminded_at`);
- central staff are told once of each proposal that became overdue (`overdue_notified_at`).

Once: the record is set by a conditional UPDATE (`… WHERE author_reminded_at IS NULL`) in the same
transaction as the notice; run twice or twice at the same time (PostgreSQL re-checks the condition after
the first transaction commits), the second run updates no row and sends nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from . import message_codes
from .deadlines import REMIND_AFTER_DAYS, due_date, is_open, is_overdue
from .models import PolicyProposal, ProposalState
from .services import central_staff

OPEN_STATES = (
    ProposalState.SUBMITTED,
    ProposalState.IN_REVIEW,
    ProposalState.CORRECTION,
    ProposalState.ANSWERED,
)


def _open() -> Any:
    return PolicyProposal.objects.filter(state__in=OPEN_STATES, answer_published_at__isnull=True)


def send_reminders(now: datetime.datetime | None = None) -> dict[str, int]:
    from django.urls import reverse

    from yunghap.core.messenger import notify

    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {"authors": 0, "overdue": 0}
    cutoff = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=REMIND_AFTER_DAYS), datetime.time.max)
    )
    for proposal in (
        _open().filter(submitted_at__lte=cutoff, author_reminded_at__isnull=True).select_related("author")
    ):
        if not is_open(proposal):
            continue
        with transaction.atomic():
            marked = PolicyProposal.objects.filter(
                pk=proposal.pk, author_reminded_at__isnull=True, answer_published_at__isnull=True
            ).update(author_reminded_at=now)
            if marked:
                notify(
                    [proposal.author],
                    code=message_codes.STILL_OPEN,
                    params={"title": proposal.title},
                    link=reverse("proposals:detail", args=[proposal.pk]),
                    verb="proposals.still_open",
                )
                counts["authors"] += 1
    staff: list[Any] | None = None
    for proposal in _open().filter(overdue_notified_at__isnull=True):
        if not is_overdue(proposal, today):
            continue
        with transaction.atomic():
            marked = PolicyProposal.objects.filter(pk=proposal.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=now
            )
            if marked:
                staff = central_staff() if staff is None else staff
                notify(
                    staff,
                    code=message_codes.OVERDUE,
                    params={"title": proposal.title, "due": due_date(proposal, today).isoformat()},
                    link=reverse("proposals:detail", args=[proposal.pk]),
                    verb="proposals.overdue",
                )
                counts["overdue"] += 1
    return counts
