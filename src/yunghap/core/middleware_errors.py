"""A database that is locked or unreachable answers 503 in Korean, not a bare English 500.

The page is rendered from a standalone template with no request context: no context processor, no user
menu, nothing that would ask the database again. A personal-data view whose access-log row cannot be
written raises from `record_access` and lands here too, so the data is never shown unlogged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

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
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, UNAVAILABLE):
            return None
        logger.error("database unavailable on %s %s: %s", request.method, request.path, exception)
        return database_unavailable_response()
