"""Idle timeout and absolute lifetime of a signed-in session.

The session holds two timestamps (seconds since the epoch): when the user signed in and when activity was
last recorded. A request after `SESSION_IDLE_TIMEOUT` minutes without activity, or after
`SESSION_ABSOLUTE_LIFETIME` minutes since sign-in, finds the session flushed and the user sent to the login
page with a Korean message. Activity is recorded at most once a minute so that a page view does not write
the session row every time; the countdown in the header therefore starts from the recorded time and is at
most a minute short, never long. Views marked with `@passive` (the countdown's own status check) do not
count as activity, so an open tab cannot keep itself signed in.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import resolve_url
from django.utils.translation import gettext as _

from yunghap.core.api_errors import is_api_path

SIGNED_IN_AT = "_yunghap_signed_in_at"
ACTIVE_AT = "_yunghap_active_at"
# Activity is written to the session at most this often (seconds).
TOUCH_INTERVAL = 60


def idle_seconds() -> int:
    return int(settings.SESSION_IDLE_TIMEOUT) * 60


def absolute_seconds() -> int:
    return int(settings.SESSION_ABSOLUTE_LIFETIME) * 60


def seconds_left(session: Any, now: float | None = None) -> int:
    """Seconds until this session ends, by whichever of the two limits comes first (0 when ended).

    Rounded up: 0 only once `expiry_reason` says the session has ended, so that the countdown never goes to
    the login page while the server still holds the session (the page would then have no reason to show).
    """
    now = time.time() if now is None else now
    signed_in = session.get(SIGNED_IN_AT, now)
    active = session.get(ACTIVE_AT, signed_in)
    ends = min(active + idle_seconds(), signed_in + absolute_seconds())
    return max(0, int(math.ceil(ends - now)))


def expiry_reason(session: Any, now: float) -> str | None:
    signed_in = session.get(SIGNED_IN_AT)
    active = session.get(ACTIVE_AT, signed_in)
    if signed_in is None or active is None:
        return None
    if now - signed_in >= absolute_seconds():
        return "absolute"
    if now - active >= idle_seconds():
        return "idle"
    return None


def record_activity(session: Any, now: float | None = None, *, force: bool = False) -> None:
    now = time.time() if now is None else now
    active = session.get(ACTIVE_AT)
    if force or active is None or now - active >= TOUCH_INTERVAL:
        session[ACTIVE_AT] = int(now)
        session.setdefault(SIGNED_IN_AT, int(now))


def _stamp_sign_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[ACTIVE_AT] = now


def connect_signals() -> None:
    """Called by `AccountsConfig.ready()`."""
    user_logged_in.connect(_stamp_sign_in, dispatch_uid="yunghap-session-signed-in")


def passive(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view whose requests are not user activity (they do not extend the session)."""
    view.session_passive = True  # type: ignore[attr-defined]
    return view


class SessionTimeoutMiddleware:
    """Ends idle and too-old sessions; records activity. After Session-, Authentication- and MessageMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if SESSION_KEY not in session or is_api_path(request.path):
            # An API call is authenticated by its token: it neither ends nor extends a browser session, and is
            # never sent to the login page.
            return self.get_response(request)
        now = time.time()
        reason = expiry_reason(session, now)
        if reason is not None:
            return self._expired(request, reason)
        response = self.get_response(request)
        if not getattr(request, "_session_passive", False) and SESSION_KEY in request.session:
            record_activity(request.session, now)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> None:
        if getattr(view_func, "session_passive", False):
            request._session_passive = True  # type: ignore[attr-defined]

    def _expired(self, request: HttpRequest, reason: str) -> HttpResponse:
        request.session.flush()
        request.user = AnonymousUser()
        if reason == "absolute":
            text = _(
                "로그인한 지 %(hours)s시간이 지나 안전을 위해 로그아웃되었습니다. 다시 로그인해 주세요."
            ) % {"hours": f"{settings.SESSION_ABSOLUTE_LIFETIME / 60:g}"}
        else:
            text = _("%(minutes)d분 동안 사용하지 않아 로그아웃되었습니다. 다시 로그인해 주세요.") % {
                "minutes": settings.SESSION_IDLE_TIMEOUT
            }
        messages.warning(request, text)
        if request.headers.get("Accept", "").startswith("application/json"):
            # A script asking (the countdown): it goes to the login page itself, where the message is shown.
            return JsonResponse({"seconds_left": 0, "signed_out": True}, status=401)
        login_url = resolve_url(settings.LOGIN_URL)
        target = login_url
        if request.method == "GET" and request.path != login_url:
            target = f"{login_url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request") == "true":  # htmx swaps would put the login page into a fragment
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
            return response
        return HttpResponseRedirect(target)
