"""`{% session_time_left as left %}`: the signed-in session's remaining time for the header countdown."""

from __future__ import annotations

from typing import Any

from django import template

from yunghap.accounts.sessions import seconds_left

register = template.Library()


@register.simple_tag(takes_context=True)
def session_time_left(context: Any) -> dict[str, Any]:
    request = context.get("request")
    session = getattr(request, "session", None)
    seconds = seconds_left(session) if session is not None else 0
    return {"seconds": seconds, "clock": f"{seconds // 60:02d}:{seconds % 60:02d}"}
