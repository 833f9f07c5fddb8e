"""Errors under /api/ as JSON, never the site's HTML pages: the API's handlers and the site's middlewares
(NUL bytes, 405, database unavailable, handler404/500) all answer through `api_error_response`.

The default shape is the API's `{"code": "stable_code", "message": "한국어 설명"}`. A part of the API that
speaks another protocol (the 공공데이터포털 compatibility endpoints) registers its own renderer for its path
prefix (`register_renderer`, from its app's `ready()`), so that even a NUL byte refused before any view runs
comes back in the shape its clients parse. core imports no app: the registry is how the API plugs in.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"

# The codes the middlewares use, with their Korean messages (the API's own codes are in api/errors.py).
MESSAGES = {
    "bad_request": _("요청을 처리할 수 없습니다."),
    "invalid": _("요청 값이 올바르지 않습니다."),
    "invalid_character": _("요청에 쓸 수 없는 문자(NUL)가 들어 있습니다."),
    "not_found": _("요청한 자료를 찾을 수 없습니다."),
    "method_not_allowed": _("이 주소는 이 방식(HTTP 메서드)으로 요청할 수 없습니다."),
    "server_error": _("요청을 처리하는 중에 문제가 생겨 기록해 두었습니다. 잠시 후 다시 시도해 주세요."),
    "unavailable": _("지금은 자료를 읽거나 저장할 수 없습니다. 잠시 후 다시 시도해 주세요."),
    "forbidden": _("이 작업을 할 권한이 없습니다."),
}

Renderer = Callable[[HttpRequest, int, str, str, "list[dict[str, Any]] | None"], HttpResponse]
_renderers: list[tuple[str, Renderer]] = []


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIX)


def register_renderer(prefix: str, renderer: Renderer) -> None:
    """Errors for paths under `prefix` are rendered by `renderer(request, status, code, message, details)`."""
    if all(existing != prefix for existing, _r in _renderers):
        _renderers.append((prefix, renderer))
        _renderers.sort(key=lambda item: -len(item[0]))  # the longest prefix wins


def json_error(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"code": code, "message": message}
    if details is not None:
        body["details"] = details
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type="application/json; charset=utf-8"
    )


def api_error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: Any = None,
    *,
    details: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    text = str(message if message is not None else MESSAGES.get(code, MESSAGES["server_error"]))
    path = getattr(request, "path", "") or ""
    for prefix, renderer in _renderers:
        if path.startswith(prefix):
            response = renderer(request, status, code, text, details)
            break
    else:
        response = json_error(status, code, text, details)
    for name, value in (headers or {}).items():
        response[name] = value
    response["Cache-Control"] = "no-store"
    return response
