"""The API's errors: a stable `code` for programs and a Korean `message` for people, always this shape.

Handlers and the authentication raise `ApiError`; Django's Http404 and PermissionDenied from the shared
lookups become `not_found` and `forbidden`, so a handler can call the same functions as the pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: Any,
        *,
        headers: dict[str, str] | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = str(message)
        self.headers = headers or {}
        self.details = details


MESSAGES = {
    "unauthorized": _("유효한 API 토큰이 필요합니다. Authorization: Bearer 토큰으로 보내 주세요."),
    "forbidden": _("이 작업을 할 권한이 없습니다."),
    "token_read_only": _("읽기 전용 토큰입니다. 쓰기가 허용된 토큰으로 요청해 주세요."),
    "not_found": _("요청한 자료를 찾을 수 없습니다."),
    "invalid": _("요청 값이 올바르지 않습니다."),
    "conflict": _("다른 사람이 먼저 고쳤습니다. 최신 자료를 다시 읽고 요청해 주세요."),
    "rate_limited": _("요청이 너무 많습니다. 잠시 후 다시 시도해 주세요."),
    "unavailable": _("지금은 자료를 읽거나 저장할 수 없습니다. 잠시 후 다시 시도해 주세요."),
}


def error(status: int, code: str, message: Any = None, **kwargs: Any) -> ApiError:
    return ApiError(status, code, message if message is not None else MESSAGES[code], **kwargs)


# The responses every authenticated operation can give; endpoints add 403/404/409 where they can happen.
# 503: the database cannot answer now (core/middleware_errors.py answers it as JSON under /api/, with
# Retry-After); 422 also for a NUL byte anywhere in the request, refused before any handler.
AUTH_ERRORS: dict[int, Any] = {401: ErrorOut, 422: ErrorOut, 429: ErrorOut, 503: ErrorOut}
READ_ERRORS: dict[int, Any] = {**AUTH_ERRORS, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}
