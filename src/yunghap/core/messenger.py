"""Telling people what concerns them: an in-app notification always, an e-mail copy after commit.

The in-app row is written inside the caller's transaction, so a rolled-back change notifies nobody; the
e-mail leaves only once the transaction has committed, through whatever EMAIL_BACKEND is configured
(console in development). A failing mail server never undoes the change that caused the mail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Notification

logger = logging.getLogger(__name__)

MESSAGE_MAX = 500


def notify(
    users: Iterable[Any],
    *,
    message: str,
    link: str = "",
    verb: str = "notice",
    email: bool = True,
) -> list[Notification]:
    """Store one notification per distinct active user and, unless `email=False`, mail them a copy."""
    recipients: dict[int, Any] = {}
    for user in users:
        if user is not None and getattr(user, "pk", None) and user.is_active:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return []
    text = str(message)[:MESSAGE_MAX]
    rows = Notification.objects.bulk_create(
        [Notification(recipient=user, verb=verb, message=text, link=link) for user in recipients.values()]
    )
    if email:
        addresses = [user.email for user in recipients.values() if user.email]
        if addresses:
            transaction.on_commit(lambda: _send_mail(addresses, text, link))
    return rows


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _send_mail(addresses: list[str], message: str, link: str) -> None:
    subject = _("[융합] %(message)s") % {"message": message.splitlines()[0][:60]}
    body = message + (f"\n\n{_absolute(link)}" if link else "")
    # One message per address: recipients must not see each other's e-mail addresses.
    mails = [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]
    try:
        get_connection().send_messages(mails)
    except Exception:  # the in-app notification is already stored; a mail outage must not break the request
        logger.exception("notification e-mail to %d recipients failed", len(mails))


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or the given ids) as read; returns how many changed."""
    qs = Notification.objects.visible_to(user).unread()
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


def unread_count(user: Any) -> int:
    return Notification.objects.visible_to(user).unread().count()
