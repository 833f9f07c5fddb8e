"""Finding an event for a page: 404 when the user does not see it (`Event.objects.visible_to`), 403 when
they see it but do not run it (`Event.objects.managed_by`). The one place pages of the events and
competitions apps apply that rule."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from .models import Event


def visible_event(user: Any, **lookup: Any) -> Event:
    return get_object_or_404(
        Event.objects.visible_to(user).select_related(
            "organiser", "audience_region", "audience_group", "audience_consortium"
        ),
        **lookup,
    )


def manages(user: Any, event: Event) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Event.objects.managed_by(user).filter(pk=event.pk).exists()


def refuse_unless_managed(user: Any, event: Event, message: str | None = None) -> None:
    """403 with `message` (what the page is for) when `user` sees `event` but does not run it."""
    if not manages(user, event):
        raise PermissionDenied(message or _("이 행사를 관리하는 담당자만 이용할 수 있습니다."))


def managed_event(user: Any, message: str | None = None, **lookup: Any) -> Event:
    event = visible_event(user, **lookup)
    refuse_unless_managed(user, event, message)
    return event
