"""Korean first: the interface is Korean unless the user chose English with the language switch."""

from __future__ import annotations

from collections.abc import Callable

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
