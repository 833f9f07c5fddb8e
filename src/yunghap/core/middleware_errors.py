"""Every error page of the site, in Korean (English when chosen), in one design with the ways back.

400, 403, 404, 405, 500 and 503 all render `core/error.html` (which extends the minimal `shell.html`) through
`error_response`: the handlers in `yunghap.urls` (handler400/403/404/500), the CSRF failure view, the 405
that Django's method decorators answer without a body (`ErrorPageMiddleware`), a bad parameter
(`BadRequestMiddleware`) and a database that is locked or unreachable (503, not a bare English 500).

The page is rendered from a standalone template with no request context: no context processor, no user
menu, nothing that would ask the database again. A personal-data view whose access-log row cannot be
written raises from `record_access` and lands here too, so the data is never shown unlogged.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from urllib.parse import urlsplit

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .api_errors import api_error_response, is_api_path
from .http import is_site_path
from .params import BadParameter, has_nul

logger = logging.getLogger("yunghap.database")

RETRY_AFTER_SECONDS = 30
# Exceptions that say "the database cannot answer now" (SQLite's "database is locked" is an
# OperationalError as well), as opposed to a bug in a query, which stays a 500.
UNAVAILABLE = (OperationalError, InterfaceError)


# status → (heading, what to do); the texts a person reads on each error page.
ERRORS = {
    400: (
        gettext_lazy("요청을 처리할 수 없습니다"),
        gettext_lazy("주소의 조건 값을 고치거나, 메뉴에서 다시 찾아 들어가 주세요."),
    ),
    403: (
        gettext_lazy("이 페이지를 볼 권한이 없습니다"),
        gettext_lazy(
            "지금 계정의 역할로는 이 화면을 열거나 이 작업을 할 수 없습니다. "
            "권한이 필요하면 소속 연합회 담당자에게 요청해 주세요."
        ),
    ),
    404: (
        gettext_lazy("페이지를 찾을 수 없습니다"),
        gettext_lazy(
            "주소가 바뀌었거나 없어진 페이지, 또는 볼 수 있는 범위 밖의 자료입니다. "
            "주소를 확인하거나 홈에서 다시 찾아 주세요."
        ),
    ),
    405: (
        gettext_lazy("이 방식으로는 요청할 수 없습니다"),
        gettext_lazy("이 주소는 화면의 단추로 보내는 요청만 받습니다. 메뉴나 화면의 단추를 이용해 주세요."),
    ),
    500: (
        gettext_lazy("일시적인 오류가 발생했습니다"),
        gettext_lazy(
            "요청을 처리하는 중에 문제가 생겨 기록해 두었습니다. 잠시 후 다시 시도해 주세요. "
            "문제가 계속되면 담당자에게 알려 주세요."
        ),
    ),
    503: (
        gettext_lazy("잠시 후 다시 시도해 주세요"),
        gettext_lazy(
            "입력하던 내용이 있으면 브라우저의 뒤로 가기로 돌아가 다시 보내 주세요. "
            "문제가 계속되면 연합회 담당자에게 알려 주세요."
        ),
    ),
}

# Under /api/ the same errors are JSON with these stable codes (core/api_errors.py), never an HTML page.
API_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    500: "server_error",
    503: "unavailable",
}


def back_url(request: HttpRequest | None) -> str | None:
    """The page the user came from (Referer), when it is another page of this site."""
    if request is None:
        return None
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    try:
        host = request.get_host()
    except Exception:  # a DisallowedHost 400 has no host to compare with
        return None
    if referer.netloc != host:
        return None
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    if referer.path == request.path or not is_site_path(request, path):
        return None
    return str(path)


def error_response(
    request: HttpRequest | None, status: int, *, message: str | None = None, lead: str | None = None
) -> HttpResponse:
    """The error page for `status`, rendered without a request context (no user, no database); under /api/
    the API's JSON error with a stable code instead."""
    if request is not None and is_api_path(getattr(request, "path", "")):
        return api_error_response(request, status, API_CODES[status], message)
    title, explanation = ERRORS[status]
    context = {
        "status": status,
        "title": title,
        "message": message,
        "explanation": [text for text in (lead, explanation) if text],
        "back_url": back_url(request),
    }
    response = HttpResponse(
        render_to_string("core/error.html", context), status=status, content_type="text/html; charset=utf-8"
    )
    response["Cache-Control"] = "no-store"
    return response


def database_unavailable_response(request: HttpRequest | None = None) -> HttpResponse:
    if request is not None and is_api_path(getattr(request, "path", "")):
        return api_error_response(
            request, 503, "unavailable", headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    lead = _("지금은 자료를 읽거나 저장할 수 없습니다. %(seconds)s초쯤 뒤에 다시 시도해 주세요.") % {
        "seconds": RETRY_AFTER_SECONDS
    }
    response = error_response(None, 503, lead=lead)
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
        return database_unavailable_response(request)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: a database error raised outside any view (loading the session or the user in a
    middleware) is the same 503; anything else is the 500 page (which asks nothing of the database)."""
    if isinstance(sys.exc_info()[1], UNAVAILABLE):
        logger.error("database unavailable on %s %s", request.method, request.path)
        return database_unavailable_response(request)
    return error_response(request, 500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler400` (SuspiciousOperation, BadRequest)."""
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler403`."""
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """`handler404` (with DEBUG off; the debug page stays for developers)."""
    return error_response(request, 404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """`CSRF_FAILURE_VIEW`: most often a form left open past the session or sent twice."""
    return error_response(
        request,
        403,
        message=_("보안 확인 값이 맞지 않아 보내지 못했습니다. 페이지를 새로 고친 뒤 다시 보내 주세요."),
    )


class ErrorPageMiddleware:
    """A 405 from Django's method decorators (`require_POST`, `HttpResponseNotAllowed`) has no body: give
    it the error page, keeping its Allow header."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        # django-ninja's own 405 carries a plain-text body: under /api/ it becomes the API's JSON error too.
        plain_api = is_api_path(request.path) and "json" not in response.get("Content-Type", "")
        if response.status_code == 405 and not response.streaming and (not response.content or plain_api):
            page = error_response(request, 405)
            if response.has_header("Allow"):
                page["Allow"] = response["Allow"]
            return page
        return response


def bad_request_response(request: HttpRequest, message: str) -> HttpResponse:
    return error_response(request, 400, message=message)


class BadRequestMiddleware:
    """A parameter no page can answer is a 400 with a Korean message, in the site's shell.

    NUL bytes are refused for every URL at once (PostgreSQL cannot store or compare them in text); views
    raise `core.params.BadParameter` for values out of range.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            if is_api_path(request.path):
                # The API's 422 `invalid`, as for any other value its schema refuses.
                return api_error_response(
                    request, 422, "invalid", _("요청에 쓸 수 없는 문자(NUL)가 들어 있습니다.")
                )
            return bad_request_response(request, _("요청에 쓸 수 없는 문자(NUL)가 들어 있습니다."))
        if is_api_path(request.path) and not all(key.isprintable() for key in request.GET):
            # A parameter name with a control character is no parameter of any operation: malformed.
            return api_error_response(
                request, 422, "invalid", _("매개변수 이름에 쓸 수 없는 문자가 들어 있습니다.")
            )
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadParameter):
            if is_api_path(request.path):
                return api_error_response(request, 422, "invalid", exception.message)
            return bad_request_response(request, exception.message)
        return None
