"""The clock of a proposal, computed at read time (reads never write, principle 13).

Due date = the day of submission + 14 days + the days a correction was pending (보완 기간: the clock is
paused from the request to the author's reply; while one is pending, every day adds one). A proposal is
open until its answer is published, it is withdrawn or closed; an open proposal past its due date is
overdue. Support (공감) plays no part here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from .models import ProposalState

ANSWER_DAYS = 14
REMIND_AFTER_DAYS = 30


def paused_days(proposal: Any, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    days = int(proposal.paused_days)
    if proposal.paused_since is not None:
        days += max(0, (today - timezone.localdate(proposal.paused_since)).days)
    return days


def due_date(proposal: Any, today: datetime.date | None = None) -> datetime.date:
    submitted = timezone.localdate(proposal.submitted_at)
    return submitted + datetime.timedelta(days=ANSWER_DAYS + paused_days(proposal, today))


def is_open(proposal: Any) -> bool:
    """Still waiting for a published answer."""
    if proposal.state in (ProposalState.WITHDRAWN, ProposalState.CLOSED):
        return False
    return proposal.answer_published_at is None


def is_overdue(proposal: Any, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return is_open(proposal) and today > due_date(proposal, today)


def days_left(proposal: Any, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    return (due_date(proposal, today) - today).days
