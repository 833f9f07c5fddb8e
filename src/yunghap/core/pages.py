"""Public pages of the site itself (not of a domain app): the privacy policy (개인정보처리방침)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """What personal data the site keeps, why, how long, and whom to ask: public, without signing in.

    The periods are the settings that enforce them, so the page cannot drift from what the site does."""
    return render(
        request,
        "core/privacy.html",
        {
            "access_log_days": settings.ACCESS_LOG_RETENTION_DAYS,
            "idle_minutes": settings.SESSION_IDLE_TIMEOUT,
            "absolute_hours": settings.SESSION_ABSOLUTE_LIFETIME // 60,
            "lockout_failures": settings.AXES_FAILURE_LIMIT,
        },
    )
