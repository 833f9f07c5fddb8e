"""The second factor of staff accounts: a TOTP authenticator app, with one-time recovery codes.

Central and regional staff see the personal data of whole regions, so a password alone does not let them
in (personal-data safety standard). After the password, a staff user without a confirmed authenticator is
sent to enrolment, one with an authenticator to the code page; until a code is accepted, the middleware
below lets them reach nothing else but those pages and logout. Other roles are not asked.

Wrong codes are counted per user on the authenticator row (locked with SELECT … FOR UPDATE, so parallel
guesses are counted too): after `OTP_MAX_FAILURES` in a row the user waits `OTP_LOCKOUT_MINUTES`.
"""

from __future__ import annotations

import datetime
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from yunghap.core.api_errors import is_api_path
from yunghap.core.audit import record_change

from .scope import scope_of

# The pages an unverified staff user may open: enrolment, the code page, login (as someone else), logout,
# and the language switch.
OPEN_URL_NAMES = frozenset(
    {
        "accounts:otp_enrol",
        "accounts:otp_verify",
        "accounts:login",
        "accounts:logout",
        "set_language",
        "javascript_catalog",
    }
)
PENDING_KEY_SESSION = "yunghap_otp_pending_key"


class SecondFactorLocked(Exception):
    """Too many wrong codes in a row; `until` is when the next attempt is allowed."""

    def __init__(self, until: datetime.datetime) -> None:
        super().__init__(until)
        self.until = until


def second_factor_required(user: Any) -> bool:
    """Staff (central, regional; superusers count as central) must verify a code after the password."""
    if not getattr(settings, "OTP_REQUIRED_FOR_STAFF", True):
        return False
    return bool(getattr(user, "is_authenticated", False) and scope_of(user).staff)


def has_second_factor(user: Any) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def is_verified(user: Any) -> bool:
    check = getattr(user, "is_verified", None)
    return bool(check and check())


class SecondFactorRequiredMiddleware:
    """Applied to every URL (the admin too): an unverified staff user is sent to enrolment or the code page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_api_path(request.path):
            # The API authenticates by token (api/auth.py), never by this session: no redirect to a code page.
            return self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and second_factor_required(user) and not is_verified(user):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in OPEN_URL_NAMES:
                if request.headers.get("HX-Request"):
                    # A fragment (a menu badge) must not be swapped for the code page: htmx swaps no 4xx.
                    return HttpResponseForbidden()
                target = "accounts:otp_verify" if has_second_factor(user) else "accounts:otp_enrol"
                query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                return HttpResponseRedirect(reverse(target) + (f"?{query}" if query else ""))
        return self.get_response(request)


# --- enrolment --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Enrolment:
    secret: str  # base32, for typing into the app by hand
    config_url: str  # the otpauth:// URL the QR code holds
    qr_svg: str  # an inline <svg>, rendered here on the server: the secret never leaves for a QR service


def pending_enrolment(request: HttpRequest) -> Enrolment:
    """The secret offered to the user until they confirm it; kept in their session, not yet a device.

    Nothing is stored in the database before the first code proves the app holds the secret, so abandoned
    enrolments leave no rows behind.
    """
    key = request.session.get(PENDING_KEY_SESSION)
    if not key:
        key = random_hex(20)
        request.session[PENDING_KEY_SESSION] = key
    device = TOTPDevice(user=request.user, key=key)
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return Enrolment(secret=_base32(device.bin_key), config_url=device.config_url, qr_svg=svg)


def confirm_enrolment(request: HttpRequest, code: str) -> list[str] | None:
    """Check the first code against the pending secret; on success store the device, issue recovery codes,
    mark this session verified and return the codes (shown once). `None` when the code is wrong."""
    user: Any = request.user
    key = request.session.get(PENDING_KEY_SESSION)
    token = _digits(code)
    if not key or token is None:
        return None
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    if not totp.verify(token, tolerance=1):
        return None
    with transaction.atomic():
        # A second enrolment (after a reset, or another tab) replaces the first: one authenticator per user.
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name=_("인증 앱"), key=key, confirmed=True, last_t=totp.t()
        )
        codes = _replace_recovery_codes(user)
        record_change(user, "otp_enrol", user, {"device": device.persistent_id})
    del request.session[PENDING_KEY_SESSION]
    otp_login(request, device)
    return codes


def regenerate_recovery_codes(user: Any, *, actor: Any) -> list[str]:
    with transaction.atomic():
        codes = _replace_recovery_codes(user)
        record_change(actor, "otp_recovery_codes", user, {"count": len(codes)})
    return codes


def _replace_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=_("복구 코드"), confirmed=True)
    codes = [StaticToken.random_token() for _i in range(settings.OTP_RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


# --- verification -----------------------------------------------------------------------------------


def verify_second_factor(user: Any, code: str) -> Device | None:
    """A TOTP code or a recovery code (consumed). Raises `SecondFactorLocked` while the user must wait."""
    with transaction.atomic():
        totp = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if totp is None:
            return None
        now = timezone.now()
        lockout = datetime.timedelta(minutes=settings.OTP_LOCKOUT_MINUTES)
        if totp.throttling_failure_count >= settings.OTP_MAX_FAILURES and totp.throttling_failure_timestamp:
            until = totp.throttling_failure_timestamp + lockout
            if now < until:
                raise SecondFactorLocked(until)
            totp.throttle_reset(commit=False)  # waited: a fresh series of attempts
        device: Device | None = None
        token = _digits(code)
        if token is not None:
            # TOTPDevice.verify_token resets the count on success and adds one failure otherwise (and saves).
            if totp.verify_token(token):
                device = totp
        else:
            recovery = _recovery_code(code)
            static = StaticDevice.objects.filter(user=user, confirmed=True).first()
            if recovery and static is not None and static.verify_token(recovery):  # deletes the used code
                device = static
                totp.throttle_reset()
            else:
                totp.throttle_increment()
        if device is not None:
            record_change(
                user,
                "otp_recovery_code_used" if isinstance(device, StaticDevice) else "otp_verify",
                user,
                {"remaining": _remaining_codes(user)} if isinstance(device, StaticDevice) else {},
            )
        return device


def remaining_recovery_codes(user: Any) -> int:
    return _remaining_codes(user)


def _remaining_codes(user: Any) -> int:
    return int(StaticToken.objects.filter(device__user=user, device__confirmed=True).count())


def reset_second_factor(user: Any, *, actor: Any) -> int:
    """Central staff remove a user's authenticator and recovery codes; the user enrols at the next sign-in.

    Sessions the user verified with the removed device lose their verification at once (the middleware
    finds no device behind the session's device id)."""
    with transaction.atomic():
        removed = 0
        for model in (TOTPDevice, StaticDevice):
            devices = model.objects.filter(user=user)
            removed += devices.count()
            devices.delete()
        record_change(actor, "otp_reset", user, {"devices_removed": removed})
    return removed


def _digits(code: str) -> int | None:
    cleaned = re.sub(r"[\s-]", "", code or "")
    if not re.fullmatch(r"\d{6}", cleaned):
        return None
    return int(cleaned)


def _recovery_code(code: str) -> str:
    cleaned = re.sub(r"[\s-]", "", code or "").lower()
    return cleaned if re.fullmatch(r"[a-z2-7]{8,16}", cleaned) else ""


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode("ascii").rstrip("=")
