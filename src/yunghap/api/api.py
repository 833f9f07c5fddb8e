"""The REST API, /api/v1/ (django-ninja). Every operation needs a token (auth.BearerToken) and answers
errors in one shape (errors.ErrorOut). The OpenAPI document is kept in docs/openapi.json; a test fails when
the code's document differs from it (`yunghap api_schema --write` updates it)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from yunghap.core.api_errors import api_error_response

from .auth import BearerToken
from .errors import MESSAGES, ApiError
from .routers import (  # noqa: F401  (network_writes: its operations join network.router)
    activities,
    compat,
    events,
    matching,
    network,
    network_writes,
    programmes,
    statistics,
)

DESCRIPTION = """융합 이업종교류 정보망의 REST API입니다.

- 인증: 사용자별 API 토큰을 `Authorization: Bearer 토큰` 헤더로 보냅니다. 토큰은 '내 정보 › API 토큰'에서
  또는 `yunghap token create --user 아이디`로 발급합니다. 토큰 사용자의 현재 권한 범위가 그대로 적용됩니다.
- 목록: `limit`(기본 100, 최대 1,000)와 `offset`; 응답은 `{"count": N, "items": [...]}`.
- 날짜는 ISO 8601(`YYYY-MM-DD`), 금액은 원 단위 정수입니다.
- 오류: `{"code": "안정된 코드", "message": "한국어 설명"}`; 401 토큰 없음·무효, 403 권한 없음, 404 범위 밖,
  409 충돌, 422 값 오류, 429 요청 한도 초과(`Retry-After` 헤더).
- 상세 응답에는 `ETag`가 붙고, `If-None-Match`가 같으면 304로 답합니다.
"""

api = NinjaAPI(
    title="Yunghap API",
    version="1",
    description=DESCRIPTION,
    auth=BearerToken(),
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request: HttpRequest, status: int, code: str, message: Any, **extra: Any) -> HttpResponse:
    # One renderer for the API's errors and the middlewares' (core/api_errors.py): the compatibility
    # endpoints get theirs in their own shape.
    return api_error_response(
        request, status, code, message, details=extra.get("details"), headers=extra.get("headers")
    )


@api.exception_handler(ApiError)
def on_api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
    return _error(request, exc.status, exc.code, exc.message, headers=exc.headers, details=exc.details)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "unauthorized", MESSAGES["unauthorized"], headers={"WWW-Authenticate": "Bearer"}
    )


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "not_found", MESSAGES["not_found"])


@api.exception_handler(PermissionDenied)
def on_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, "forbidden", str(exc) or MESSAGES["forbidden"])


@api.exception_handler(DataError)
@api.exception_handler(OverflowError)
def on_out_of_range(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A value the schema lets through but the database cannot hold (an id of 10^30 in a path or filter:
    # PostgreSQL's "out of range for bigint", SQLite's OverflowError): the client's mistake, not a 500.
    return _error(request, 422, "invalid", MESSAGES["invalid"])


@api.exception_handler(ValidationError)
def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    # Only where and what: pydantic's `ctx`/`input` may hold the raw (huge, binary) value sent.
    details = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ())),
            "type": e.get("type", ""),
            "message": e.get("msg", ""),
        }
        for e in exc.errors
    ]
    return _error(request, 422, "invalid", MESSAGES["invalid"], details=details)


# The registry's writes sit on the network router (network_writes adds them to it): ninja matches each
# path once, so the GET and the PATCH of one path must share a router.
api.add_router("", network.router)
api.add_router("", activities.router)
api.add_router("", compat.router)
api.add_router("", statistics.router)
api.add_router("", matching.router)
api.add_router("", programmes.router)
api.add_router("", events.router)
