"""Errors a user can do nothing about but retry or correct, answered in Korean instead of a 500.

A database that is locked or unreachable answers 503 in Korean, not a bare English 500.

The page is rendered from a standalone template with no request context: no context processor, no user
menu, nothing that would ask the database again. A personal-data view whose access-log row cannot be
written raises from `record_access` and lands here too, so the data is never shown unlogged.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

from .params import BadParameter, has_nul

logger = logging.getLogger("yunghap.database")

RETRY_AFTER_SECONDS = 30
# Exceptions that say "the database cannot answer now" (SQLite's "database is locked" is an
# OperationalError as well), as opposed to a bug in a query, which stays a 500.
UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable_response() -> HttpResponse:
    response = HttpResponse(
        render_to_string("core/unavailable.html", {"retry_after": RETRY_AFTER_SECONDS}),
        status=503,
        content_type="text/html; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view's database error: answered here, before Django logs it as a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error("database unavailable on %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a database error raised outside any view (loading the session or the user in a
    middleware) is the same 503; anything else is Django's 500."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        logger.error("database unavailable on %s %s", request.method, request.path)
        return database_unavailable_response()
    return defaults.server_error(request)


def bad_request_response(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "core/bad_request.html", {"message": message}, status=400)


class BadRequestMiddleware:
    """A parameter no page can answer is a 400 with a Korean message, in the site's shell.

    NUL bytes are refused for every URL at once (PostgreSQL cannot store or compare them in text); views
    raise `core.params.BadParameter` for values out of range.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            return bad_request_response(request, _("요청에 쓸 수 없는 문자(NUL)가 들어 있습니다."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadParameter):
            return bad_request_response(request, exception.message)
        return None
