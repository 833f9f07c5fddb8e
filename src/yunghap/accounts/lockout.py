"""Login throttling: the account-and-address lock of django-axes plus a per-address throttle.

Axes locks a (username, client address) pair after AXES_FAILURE_LIMIT failures, so someone elsewhere
cannot lock a user out of every address. That alone never stops password spraying (a few guesses at each
of many usernames from one address), so an address with more than LOGIN_ADDRESS_FAILURE_LIMIT failures
across any usernames within LOGIN_ADDRESS_WINDOW_MINUTES is refused as a whole until those failures age out
of the window. The failures are axes' own AccessFailureLog rows, shared by every worker process.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessFailureLog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.http import client_ip


def address_failures(ip_address: str | None, *, now: datetime.datetime | None = None) -> int:
    """Failed logins from this address, whatever the username, within the throttle window."""
    if not ip_address:
        return 0
    since = (now or timezone.now()) - datetime.timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)
    return int(AccessFailureLog.objects.filter(ip_address=ip_address, attempt_time__gte=since).count())


def address_throttled(ip_address: str | None) -> bool:
    return address_failures(ip_address) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class LoginThrottleHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no types
    """Axes' database handler, also refusing an address that failed too often across usernames."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        ip_address = getattr(request, "axes_ip_address", None) or client_ip(request)
        if address_throttled(ip_address):
            request.yunghap_address_throttled = True
            return True
        return False

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # Axes turns only its own (username, address) lock into the lockout response; a refusal by the
        # address throttle above must end the same way, not as an ordinary "wrong password".
        if request is not None and getattr(request, "yunghap_address_throttled", False):
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, with a Korean message saying why and for how long (429 Too Many Requests)."""
    if getattr(request, "yunghap_address_throttled", False):
        message = _("이 주소에서 로그인 실패가 너무 많습니다. %(minutes)d분 뒤에 다시 시도해 주세요.") % {
            "minutes": settings.LOGIN_ADDRESS_WINDOW_MINUTES
        }
    else:
        message = _(
            "비밀번호를 %(limit)d번 틀려 이 계정은 이 주소에서 %(minutes)d분 동안 로그인할 수 없습니다. "
            "비밀번호가 기억나지 않으면 비밀번호 재설정을 이용해 주세요."
        ) % {"limit": settings.AXES_FAILURE_LIMIT, "minutes": int(settings.AXES_COOLOFF_TIME * 60)}
    from .forms import LoginForm

    form = LoginForm(request, data=None)
    return render(request, "accounts/login.html", {"form": form, "lockout_message": message}, status=429)
