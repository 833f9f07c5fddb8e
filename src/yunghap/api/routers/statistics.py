"""/api/v1/surveys, /api/v1/surveys/{year} and /api/v1/statistics/series: the survey's plan table (as
`yunghap report survey --format json` gives it) and the trends of the statistics pages, through the pages'
own filter bar (scope: federation staff; regional staff keep their region) and the same functions."""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yunghap.accounts.scope import scope_of
from yunghap.insights import reports, trends
from yunghap.insights import views as insights_views
from yunghap.insights.selectors import comparison
from yunghap.network.models import Industry
from yunghap.surveys.models import Survey

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS, ErrorOut, error
from ..pagination import Listing, PageParams, page_of

router = Router(tags=["statistics"])

STAFF_READ = {**READ_ERRORS, 403: ErrorOut}


class SurveyOut(Schema):
    year: int
    status: str = Field(description="open 또는 closed")
    opened_on: datetime.date
    deadline: datetime.date | None


class TableFilters(Schema):
    region: str = Field("", max_length=32, description="지역연합회 코드 (지역 직원은 자기 지역)")
    type: str = Field("", max_length=32, description="교류 유형 코드")


class SeriesFilters(TableFilters):
    industry: str = Field("", max_length=2, description="업종 KSIC 중분류 코드 두 자리")
    period: str = Field("", max_length=8, description="monthly(기본) 또는 yearly")
    from_: str = Field("", alias="from", max_length=4, description="시작 연도 (기본: 9년 전)")
    to: str = Field("", max_length=4, description="끝 연도 (기본: 올해)")


def _invalid(form: Any) -> Exception:
    details = [{"field": f, "messages": [str(m) for m in ms]} for f, ms in form.errors.items()]
    return error(422, "invalid", details=details)


def _plain(value: Any) -> Any:
    """Decimals as numbers (as the report's JSON), dates as ISO text."""
    return json.loads(json.dumps(reports._plain(value), cls=DjangoJSONEncoder, ensure_ascii=False))


def _with_query(request: HttpRequest, **values: str) -> HttpRequest:
    query = request.GET.copy()
    for key, value in values.items():
        query[key] = value
    request.GET = query  # type: ignore[assignment]
    return request


@router.get(
    "/surveys", response={200: Listing[SurveyOut], 403: ErrorOut, **AUTH_ERRORS}, summary="실태조사 목록"
)
def list_surveys(request: HttpRequest, page: Query[PageParams]) -> Any:
    scope = scope_of(request.user)
    if not (scope.staff or scope.officer_group_ids):
        raise PermissionDenied(_("실태조사는 연합회 직원과 교류회 임원이 이용합니다."))
    return page_of(
        Survey.objects.order_by("-year"),
        page,
        lambda rows: [
            SurveyOut(year=s.year, status=s.status, opened_on=s.opened_on, deadline=s.deadline) for s in rows
        ],
    )


@router.get(
    "/surveys/{year}",
    response={200: dict[str, Any], 304: None, **STAFF_READ},
    summary="실태조사 결과표 (계획서의 표)",
)
def get_survey_table(request: HttpRequest, year: int, filters: Query[TableFilters]) -> HttpResponse:
    scope = scope_of(request.user)
    if not scope.staff:
        raise PermissionDenied(_("통계는 연합회 직원만 볼 수 있습니다."))
    get_object_or_404(Survey, year=year)
    years = list(Survey.objects.order_by("-year").values_list("year", flat=True))
    try:
        found, form = insights_views._staff_filters(
            _with_query(request, year=str(year)), years=years, year_default=year
        )
    except insights_views.InvalidFilters as invalid:
        raise _invalid(invalid.form) from None
    codes = found.codes
    data = comparison(form.cleaned_data["year"], **codes)
    body = json.loads(reports.report_json(data["reported"], observed=data["observed"], filters=codes))
    return conditional_json(request, body)


@router.get(
    "/statistics/series",
    response={200: dict[str, Any], 403: ErrorOut, **AUTH_ERRORS},
    summary="교류회 동향 통계 (월별·연도별 시계열)",
)
def statistics_series(request: HttpRequest, filters: Query[SeriesFilters]) -> Any:
    industries = list(Industry.objects.order_by("code").only("code", "name", "name_en"))
    try:
        found, form = insights_views._staff_filters(
            request, industries=industries, range_defaults=insights_views._trend_defaults()
        )
    except insights_views.InvalidFilters as invalid:
        raise _invalid(invalid.form) from None
    data = insights_views._trend_rows(form, found)
    return _plain(
        {
            "filters": {
                **found.codes,
                "industry": found.industry.code if found.industry else None,
            },
            "period": data["period"],
            "from": data["from"],
            "to": data["to"],
            "series": [
                {"key": s.key, "label": str(s.label), "kind": s.kind, "unit": str(s.unit)}
                for s in trends.SERIES
            ],
            "rows": data["rows"],
            "partial": str(data["partial"]),
        }
    )
