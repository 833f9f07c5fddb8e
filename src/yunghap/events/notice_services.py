"""Changes of a user's notice preferences and of their calendar feed's secret, each in one transaction
with its audit row (`core.audit.record_change`); the pages in `feed_views.py` call these."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from yunghap.core.audit import record_change
from yunghap.core.versions import bump_version, lock_version

from .models import NoticePreference

PREFERENCE_FIELDS = ("reminders", "changes", "email")


def _locked_row(user: Any) -> NoticePreference:
    """The user's row, locked; made on the first save (two first saves at once make one row)."""
    row = NoticePreference.objects.select_for_update().filter(user=user).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            NoticePreference.objects.create(user=user)
    except IntegrityError:
        pass  # the other first save made it
    return NoticePreference.objects.select_for_update().get(user=user)


def update_preferences(
    user: Any, *, expected_version: int | None, reminders: bool, changes: bool, email: bool
) -> NoticePreference:
    """Save what the user wants to be told; StaleEdit when the settings changed since the form was read."""
    wanted = {"reminders": reminders, "changes": changes, "email": email}
    with transaction.atomic():
        row = _locked_row(user)
        lock_version(row, expected_version if expected_version is not None else row.version)
        changed = {name: value for name, value in wanted.items() if getattr(row, name) != value}
        if changed:
            for name, value in changed.items():
                setattr(row, name, value)
            bump_version(row)
            row.save()
            record_change(user, "events.notice_preference.update", row, changed)
    return row


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


def renew_feed_token(user: Any) -> NoticePreference:
    """A new secret for the user's calendar feed; the old address stops answering at once."""
    with transaction.atomic():
        row = _locked_row(user)
        renewing = bool(row.feed_token)
        row.feed_token = new_feed_token()
        row.feed_token_renewed_at = timezone.now()
        row.save(update_fields=["feed_token", "feed_token_renewed_at", "updated_at"])
        # The token itself is a secret: the audit says that it changed, not what it is.
        record_change(user, "events.feed_token.renew", row, {"renewed": renewing})
    return row
