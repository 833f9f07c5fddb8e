"""Telling participants about their registration: the one place event notices leave from.

Every notice has a kind: `essential` ones (confirmed, waiting, a seat offered, an offer expired, a
cancellation) always go; the others (`reminder` the day before, `change` of a session's time or place) are
the kinds a user may turn off in their notification settings (`NoticePreference`, the page
`events:notice_settings`), with the e-mail copy of them.

A person with an account gets an in-app notification and a mail copy; a person registered without an
account (by their firm, by an import) gets a mail at the registered address. Whoever registered someone
else for their firm is told in-app only. Mails leave on commit (core.messenger).
"""

from __future__ import annotations

from functools import partial
from typing import Any, Literal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils.translation import gettext as _

from yunghap.core.messages_catalogue import render
from yunghap.core.messenger import notify

from .models import NoticePreference, Registration

Kind = Literal["essential", "reminder", "change"]


def tell(
    registration: Registration, code: str, *, kind: Kind = "essential", personal: bool = False, **extra: Any
) -> bool:
    """Send notice `code` (events/message_codes.py) about `registration`, with `extra` parameters.

    Essential notices always go. A reminder or change notice goes to a user with an account only if their
    preferences (`NoticePreference`) keep it on, by e-mail too unless they turned the e-mail copy off; a
    person registered without an account always gets it by mail (there is nobody to ask). A `personal`
    notice (it carries something only the person may use, such as a survey link) is not copied to whoever
    registered them. True when the person registered was told (in-app or by mail)."""
    params = {"event": registration.event.title, "name": registration.name, **extra}
    told = False
    if registration.user_id:
        wanted, by_mail = wants(registration.user, kind)
        if wanted:
            told = bool(notify([registration.user], code=code, params=params, email=by_mail))
    else:
        text = str(render(code, params, language=settings.LANGUAGE_CODE))
        transaction.on_commit(partial(_mail, registration.email, text))
        told = True
    other = registration.registered_by_id and registration.registered_by_id != registration.user_id
    if other and not personal and wants(registration.registered_by, kind)[0]:
        notify([registration.registered_by], code=code, params=params, email=False)
    return told


def wants(user: Any, kind: Kind) -> tuple[bool, bool]:
    """(is the user told, by e-mail too) for a notice of `kind`, from the user's preferences."""
    if kind == "essential":
        return True, True
    preference = NoticePreference.of(user)
    wanted = preference.reminders if kind == "reminder" else preference.changes
    return wanted, wanted and preference.email


def _mail(address: str, text: str) -> None:
    subject = _("[융합] %(message)s") % {"message": text[:60]}
    EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [address]).send(fail_silently=True)
