"""Telling people what concerns them: an in-app notification always, an e-mail copy after commit.

The in-app row is written inside the caller's transaction, so a rolled-back change notifies nobody; the
e-mail leaves only once the transaction has committed, through whatever EMAIL_BACKEND is configured
(console in development). A failing mail server never undoes the change that caused the mail.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .messages_catalogue import is_defined, render
from .models import Notification

logger = logging.getLogger(__name__)

MESSAGE_MAX = 500


def notify(
    users: Iterable[Any],
    *,
    code: str = "",
    params: Mapping[str, Any] | None = None,
    message: str = "",
    link: str = "",
    verb: str = "notice",
    email: bool = True,
) -> list[Notification]:
    """Store one notification per distinct active user and, unless `email=False`, mail them a copy.

    Give a message `code` defined in `core.messages_catalogue` with its JSON `params`: the list shows it in
    the reader's language, the mail goes in the recipient's (`User.language`, Korean by default). The
    Korean text is stored too, as the fallback should the code ever be retired. A bare `message` (free text,
    shown as is) remains for texts with nothing to translate."""
    recipients: dict[int, Any] = {}
    for user in users:
        if user is not None and getattr(user, "pk", None) and user.is_active:
            recipients.setdefault(user.pk, user)
    if not recipients:
        return []
    values = dict(params or {})
    if code:
        if not is_defined(code):
            raise ValueError(f"unknown message code {code!r}")
        message = render(code, values, language=settings.LANGUAGE_CODE)
    text = str(message)[:MESSAGE_MAX]
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=user, verb=verb, code=code, params=values, message=text, link=link)
            for user in recipients.values()
        ]
    )
    if email:
        by_language: dict[str, list[str]] = {}
        for user in recipients.values():
            if user.email:
                language = getattr(user, "language", "") or settings.LANGUAGE_CODE
                by_language.setdefault(language, []).append(user.email)
        for language, addresses in by_language.items():
            localised = render(code, values, fallback=text, language=language)[:MESSAGE_MAX] if code else text
            transaction.on_commit(partial(_send_mail, addresses, localised, link, language=language))
    return rows


def _absolute(link: str) -> str:
    base = getattr(settings, "SITE_URL", "").rstrip("/")
    return f"{base}{link}" if link.startswith("/") and base else link


def _send_mail(addresses: list[str], message: str, link: str, *, language: str | None = None) -> None:
    with translation.override(language or settings.LANGUAGE_CODE):
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
