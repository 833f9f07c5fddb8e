"""The header countdown's two endpoints: how long the session has left, and "연장" (extend it)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from yunghap.core.http import next_url

from .sessions import passive, record_activity, seconds_left


@passive
@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """Seconds left, without counting as activity (the countdown asks when it reaches zero)."""
    if not request.user.is_authenticated:
        return JsonResponse({"seconds_left": 0, "signed_out": True})
    return JsonResponse({"seconds_left": seconds_left(request.session), "signed_out": False})


@never_cache
@require_POST
@login_required
def extend_session(request: HttpRequest) -> HttpResponse:
    """Record activity now, so the idle timeout starts again (never beyond the absolute lifetime)."""
    record_activity(request.session, force=True)
    left = seconds_left(request.session)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"seconds_left": left})
    # Without the script the button is a plain form: back to the page it was on.
    return HttpResponseRedirect(next_url(request, "/"))
