"""공공데이터포털(data.go.kr)-style feeds for Korean public-data clients: /api/v1/openapi/groups, /firms and
/surveys, read-only.

The conventions of data.go.kr's OpenAPI services: the key in `serviceKey` (the user's API token, sent
URL-encoded or not), `pageNo` (from 1) and `numOfRows` (10 unless asked, at most 1,000), `_type=json|xml`,
and every answer in the envelope `{"response": {"header": {"resultCode", "resultMsg"}, "body": {"items":
{"item": [...]}, "numOfRows", "pageNo", "totalCount"}}}` (or its XML), with data.go.kr's result codes for
errors and the matching HTTP status (RESULT_CODES). Items are flat records with camelCase names; a list
value (exchange types, technologies) is one comma-separated string, as public-data files carry it.

The key is checked exactly as the Bearer token is (accounts.tokens.token_for, api.auth.spend_request):
expired, revoked, unknown or foreign-address keys all get the same 30, with no hint which; the budget is
the token's. `Authorization: Bearer` works too.

What each feed publishes (docs/decisions.md):
- groups: the public group directory (api.directory.listed_groups / public_group_card) for every token;
- firms: only the firms that consented (api.directory.listed_firms / public_firm_card) for every token;
- surveys: the plan's survey table of a year (the page's own context: insights.views) for staff only, with
  their region as on the page; any other token gets 20 SERVICE_ACCESS_DENIED_ERROR (403).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import unquote
from xml.sax.saxutils import escape

from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.security import APIKeyQuery

from yunghap.accounts.models import ApiToken
from yunghap.accounts.tokens import token_for
from yunghap.core.api_errors import register_renderer
from yunghap.network import selectors
from yunghap.network.forms import FirmFilterForm, GroupFilterForm

from .. import directory
from ..auth import client_address, spend_request
from ..errors import error
from ..forms import filters_from
from ..pagination import MAX_LIMIT, MAX_OFFSET

PREFIX = "/api/v1/openapi/"
DEFAULT_ROWS = 10
NORMAL = ("00", "NORMAL SERVICE.")

# data.go.kr's result codes for the API's error codes (the HTTP status stays the API's).
RESULT_CODES: dict[str, tuple[str, str]] = {
    "unauthorized": ("30", "SERVICE_KEY_IS_NOT_REGISTERED_ERROR"),
    "rate_limited": ("22", "LIMITED_NUMBER_OF_SERVICE_REQUESTS_EXCEEDS_ERROR"),
    "invalid": ("10", "INVALID_REQUEST_PARAMETER_ERROR"),
    "bad_request": ("10", "INVALID_REQUEST_PARAMETER_ERROR"),
    "forbidden": ("20", "SERVICE_ACCESS_DENIED_ERROR"),
    "token_read_only": ("20", "SERVICE_ACCESS_DENIED_ERROR"),
    "not_found": ("12", "NO_OPENAPI_SERVICE_ERROR"),
    "method_not_allowed": ("04", "HTTP_ERROR"),
    "unavailable": ("02", "DB_ERROR"),
    "server_error": ("99", "UNKNOWN_ERROR"),
}
UNKNOWN = RESULT_CODES["server_error"]
KEY_REFUSED = _("유효한 API 토큰이 필요합니다. serviceKey(또는 Authorization: Bearer)로 보내 주세요.")

T = TypeVar("T")


# ---- the envelope ----------------------------------------------------------------------------------


class Header(Schema):
    resultCode: str = Field(description="결과 코드: 00 정상")
    resultMsg: str = Field(description="결과 메시지: NORMAL SERVICE.")


class Items(Schema, Generic[T]):
    item: list[T]


class Body(Schema, Generic[T]):
    items: Items[T]
    numOfRows: int
    pageNo: int
    totalCount: int


class Result(Schema, Generic[T]):
    header: Header
    body: Body[T]


class Envelope(Schema, Generic[T]):
    response: Result[T]


class ErrorHeader(Schema):
    resultCode: str = Field(description="공공데이터포털 결과 코드 (10, 20, 22, 30 ...)")
    resultMsg: str = Field(description="공공데이터포털 결과 메시지 (예: SERVICE_KEY_IS_NOT_REGISTERED_ERROR)")
    resultDetail: str = Field(description="한국어 설명")
    details: list[dict[str, Any]] | None = None


class ErrorResult(Schema):
    header: ErrorHeader


class CompatErrorOut(Schema):
    response: ErrorResult


# ---- items -----------------------------------------------------------------------------------------


class GroupItem(Schema):
    code: str
    name: str
    region: str = Field(description="지역연합회 코드")
    regionName: str
    kind: str = Field(description="unit(단위교류회) 등 구분 코드")
    foundedYear: int | None
    exchangeTypes: str = Field(description="교류 유형 코드, 쉼표로 구분 (info,resource,newproduct)")
    memberCount: int = Field(description="오늘 현재 회원사 수")


class FirmItem(Schema):
    id: str
    name: str
    region: str
    regionName: str
    industry: str = Field(description="KSIC 중분류 코드")
    industryName: str
    foundedYear: int | None
    technologies: str = Field(description="보유 기술, 쉼표로 구분")
    products: str = Field(description="주요 제품, 쉼표로 구분")


class SurveyItem(Schema):
    year: int
    region: str = Field(description="지역연합회 코드 (전국은 빈 값)")
    exchangeType: str = Field(description="교류 유형 코드 (전체는 빈 값)")
    indicator: str = Field(description="지표 코드")
    indicatorName: str
    reported: float | None = Field(description="실태조사(응답)")
    observedRespondents: float | None = Field(
        description="활동 실적(응답 교류회); 장부가 그해 전체를 덮을 때만"
    )
    observedAll: float | None = Field(description="활동 실적(전체 교류회); 장부가 그해 전체를 덮을 때만")


# The plan's table rows (insights.reports.report_rows), in its order, with stable codes.
INDICATORS = [
    "respondents",
    "purpose_share_info",
    "purpose_share_resource",
    "purpose_share_newproduct",
    "groups_with_rnd_count",
    "groups_with_rnd_share",
    "rnd_results",
    "meetings_per_year_mean",
    "attendance_70_share",
]


# ---- parameters ------------------------------------------------------------------------------------


class CompatPage(Schema):
    pageNo: int = Field(1, ge=1, le=MAX_OFFSET, description="페이지 번호 (1부터)")
    numOfRows: int = Field(
        DEFAULT_ROWS, ge=1, le=MAX_LIMIT, description="한 페이지 결과 수 (기본 10, 최대 1,000)"
    )
    type_: Literal["json", "xml"] = Field("json", alias="_type", description="응답 형식: json(기본) 또는 xml")

    @property
    def offset(self) -> int:
        return (self.pageNo - 1) * self.numOfRows


class GroupQuery(Schema):
    region: str = Field("", max_length=32, description="지역연합회 코드 (예: seoul)")
    exchange_type: str = Field("", alias="exchangeType", max_length=32, description="교류 유형 코드")
    q: str = Field("", max_length=100, description="교류회명·코드 검색")


class FirmQuery(Schema):
    region: str = Field("", max_length=32, description="지역연합회 코드 (예: seoul)")
    division: str = Field("", max_length=2, description="업종 KSIC 중분류 코드 두 자리")


class SurveyQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2100, description="조사 연도 (없으면 최근 조사)")
    region: str = Field("", max_length=32, description="지역연합회 코드 (없으면 전국; 지역 직원은 자기 지역)")
    exchange_type: str = Field("", alias="exchangeType", max_length=32, description="교류 유형 코드")


# ---- the key ---------------------------------------------------------------------------------------


def token_for_service_key(raw: str, address: str) -> ApiToken | None:
    """The token a serviceKey is: as sent, or once or twice URL-decoded (data.go.kr's 'encoding' key put
    through a client that encodes it again)."""
    candidates = [raw.strip()]
    for _attempt in range(2):
        decoded = unquote(candidates[-1])
        if decoded == candidates[-1]:
            break
        candidates.append(decoded.strip())
    for candidate in candidates:
        token = token_for(candidate, address)
        if token is not None:
            return token
    return None


class ServiceKey(APIKeyQuery):
    """`serviceKey` in the query (or `Authorization: Bearer`), checked as the Bearer token is."""

    param_name = "serviceKey"

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.GET.get(self.param_name)
        if key:
            return key
        scheme, _, credentials = request.headers.get("Authorization", "").partition(" ")
        return credentials if scheme.lower() == "bearer" else None

    def authenticate(self, request: HttpRequest, key: str | None) -> ApiToken:
        found = token_for_service_key(key or "", client_address(request))
        if found is None:
            # never None: ninja's own 401 would not be in data.go.kr's shape
            raise error(401, "unauthorized", KEY_REFUSED)
        spend_request(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


# ---- rendering -------------------------------------------------------------------------------------

_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return escape(_XML_UNSAFE.sub("", str(value)))


def _xml(name: str, value: Any) -> str:
    if isinstance(value, dict):
        inner = "".join(_xml(key, item) for key, item in value.items())
    elif isinstance(value, list):
        # `items` holds repeated <item>; a list of details repeats its element name
        inner = "".join(_xml(name[:-1] if name.endswith("s") else "item", item) for item in value)
        return f"<{name}>{inner}</{name}>"
    else:
        inner = _text(value)
    return f"<{name}>{inner}</{name}>"


def _items_xml(items: list[dict[str, Any]]) -> str:
    return "<items>" + "".join(_xml("item", item) for item in items) + "</items>"


def wants_xml(request: HttpRequest) -> bool:
    return request.GET.get("_type", "").strip().lower() == "xml"


def render(request: HttpRequest, document: dict[str, Any], status: int = 200) -> HttpResponse:
    if wants_xml(request):
        response_part = document["response"]
        header = _xml("header", response_part["header"])
        body = ""
        if "body" in response_part:
            b = response_part["body"]
            body = (
                "<body>"
                + _items_xml(b["items"]["item"])
                + _xml("numOfRows", b["numOfRows"])
                + _xml("pageNo", b["pageNo"])
                + _xml("totalCount", b["totalCount"])
                + "</body>"
            )
        text = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><response>{header}{body}</response>'
        return HttpResponse(text, status=status, content_type="application/xml; charset=utf-8")
    return HttpResponse(
        json.dumps(document, ensure_ascii=False),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def render_error(
    request: HttpRequest, status: int, code: str, message: str, details: list[dict[str, Any]] | None
) -> HttpResponse:
    """Every error under /api/v1/openapi/ (the API's handlers and the middlewares: core/api_errors.py)."""
    result_code, result_msg = RESULT_CODES.get(code, UNKNOWN)
    header: dict[str, Any] = {"resultCode": result_code, "resultMsg": result_msg, "resultDetail": message}
    if details is not None:
        header["details"] = details
    return render(request, {"response": {"header": header}}, status=status)


def register_error_shape() -> None:
    """Called by ApiConfig.ready(): errors under PREFIX, the middlewares' too, in data.go.kr's shape."""
    register_renderer(PREFIX, render_error)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def flat_item(card: dict[str, Any]) -> dict[str, Any]:
    """A public card as a data.go.kr item: camelCase names, lists as one comma-separated string."""
    return {
        _camel(key): ",".join(str(v) for v in value) if isinstance(value, list | tuple) else _plain(value)
        for key, value in card.items()
    }


def listing(
    request: HttpRequest,
    page: CompatPage,
    total: int,
    rows_of: Callable[[int, int], Iterable[Any]],
    item_of: Callable[[Any], dict[str, Any]],
) -> HttpResponse:
    rows = list(rows_of(page.offset, page.offset + page.numOfRows)) if page.offset < total else []
    document = {
        "response": {
            "header": {"resultCode": NORMAL[0], "resultMsg": NORMAL[1]},
            "body": {
                "items": {"item": [item_of(row) for row in rows]},
                "numOfRows": page.numOfRows,
                "pageNo": page.pageNo,
                "totalCount": total,
            },
        }
    }
    response = render(request, document)
    response["Cache-Control"] = "private, no-cache"
    return response


# ---- the OpenAPI document: the XML answers and data.go.kr's codes ------------------------------------

ERROR_STATUSES = {401: "30", 422: "10", 429: "22", 503: "02"}


def _declared(statuses: dict[int, str]) -> dict[str, Any]:
    xml = {"application/xml": {"schema": {"type": "string", "description": "같은 내용의 XML (_type=xml)"}}}
    responses: dict[int, Any] = {200: {"content": dict(xml)}}
    for status, code in statuses.items():
        responses[status] = {"description": f"resultCode {code}", "content": dict(xml)}
    return {"responses": responses, "security": [{"BearerToken": []}]}


def _responses(item: Any, *extra: int) -> dict[int, Any]:
    errors = {status: CompatErrorOut for status in (*ERROR_STATUSES, *extra)}
    return {200: Envelope[item], **errors}


router = Router(tags=["공공데이터포털 호환"], auth=ServiceKey())


@router.get(
    "/openapi/groups",
    response=_responses(GroupItem),
    summary="교류회 목록 (공공데이터포털 형식)",
    openapi_extra=_declared(ERROR_STATUSES),
)
def openapi_groups(request: HttpRequest, page: Query[CompatPage], filters: Query[GroupQuery]) -> HttpResponse:
    cleaned = filters_from(GroupFilterForm, filters)
    groups = directory.listed_groups(cleaned)
    return listing(
        request,
        page,
        groups.count(),
        lambda start, stop: selectors.attach_group_counts(groups[start:stop]),
        lambda group: flat_item(directory.public_group_card(group)),
    )


@router.get(
    "/openapi/firms",
    response=_responses(FirmItem),
    summary="회원사 목록 (공공데이터포털 형식, 공개에 동의한 기업만)",
    openapi_extra=_declared(ERROR_STATUSES),
)
def openapi_firms(request: HttpRequest, page: Query[CompatPage], filters: Query[FirmQuery]) -> HttpResponse:
    cleaned = filters_from(FirmFilterForm, filters)
    firms = directory.listed_firms().select_related("federation", "industry")
    if cleaned.get("region"):
        firms = firms.filter(federation__code=cleaned["region"])
    if cleaned.get("division"):
        firms = firms.filter(industry__code=cleaned["division"])
    firms = firms.order_by("name", "pk")
    return listing(
        request,
        page,
        firms.count(),
        lambda start, stop: firms[start:stop],
        lambda firm: flat_item(directory.public_firm_card(firm)),
    )


@router.get(
    "/openapi/surveys",
    response=_responses(SurveyItem, 403),
    summary="실태조사 결과표 (공공데이터포털 형식, 연합회 직원만)",
    openapi_extra=_declared({**ERROR_STATUSES, 403: "20"}),
)
def openapi_surveys(
    request: HttpRequest, page: Query[CompatPage], filters: Query[SurveyQuery]
) -> HttpResponse:
    # The survey page's own context (staff only; regional staff keep their region; the same filter form).
    from yunghap.insights.views import InvalidFilters, _survey_context

    query = QueryDict(mutable=True)
    query.update({"_type": page.type_, "region": filters.region, "type": filters.exchange_type})
    if filters.year is not None:
        query["year"] = str(filters.year)
    query._mutable = False
    original = request.GET
    request.GET = query  # type: ignore[assignment]
    try:
        context = _survey_context(request)
    except InvalidFilters as invalid:
        details = [
            {"field": "exchangeType" if field == "type" else field, "messages": [str(m) for m in messages]}
            for field, messages in invalid.form.errors.items()
        ]
        raise error(422, "invalid", details=details) from None
    finally:
        request.GET = original  # type: ignore[misc]
    year = context["year"]
    codes = context["filters"].codes
    rows = context["rows"]
    if len(rows) != len(INDICATORS):  # pragma: no cover - the plan's table changed: name its new rows here
        raise RuntimeError("insights.reports.report_rows changed: update compat.INDICATORS")
    items = []
    for code, row in zip(INDICATORS, rows, strict=True):
        values = [_plain(v) for v in row[1:]] + [None, None]
        items.append(
            {
                "year": year,
                "region": codes["region"] or "",
                "exchangeType": codes["exchange_type"] or "",
                "indicator": code,
                "indicatorName": str(row[0]),
                "reported": values[0],
                "observedRespondents": values[1],
                "observedAll": values[2],
            }
        )
    return listing(request, page, len(items), lambda start, stop: items[start:stop], lambda item: item)
