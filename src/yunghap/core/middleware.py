"""Korean first (the interface is Korean unless the user chose English) and the security headers."""

from __future__ import annotations

import secrets
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class KoreanFirstMiddleware:
    """Drop the browser's Accept-Language before LocaleMiddleware reads it.

    A Korean public service opens in Korean on any browser; the language cookie set by the switch
    (Django's set_language) is the only way to English, so the choice is the user's, not the browser's.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class SecurityHeadersMiddleware:
    """Content-Security-Policy with a per-request nonce, Permissions-Policy, and `no-store` for the
    signed-in.

    Every page a signed-in user gets may carry personal data (lists, firm pages, exports, evidence
    files), so none of them may be kept by the browser or a shared cache: deciding page by page would
    miss the next one. Static files never reach this middleware (WhiteNoise answers them before it, the
    development server before any middleware), so they stay cacheable.

    The nonce is `request.csp_nonce` (`<script nonce="{{ request.csp_nonce }}">`); templates should
    still prefer static files and `json_script`, whose `application/json` is data and never run. Pages
    kept by `network.pagecache` replay their HTML, so a nonce must never appear in a cached page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(18)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", settings.CONTENT_SECURITY_POLICY.replace("{nonce}", nonce)
        )
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
