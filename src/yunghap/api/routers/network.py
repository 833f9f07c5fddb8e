"""/api/v1/federations and /api/v1/groups: the registry as the list pages show it, through the same
selectors (scope, filters) and the same filter form (its errors are the API's 422)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from yunghap.network import selectors
from yunghap.network.forms import GroupFilterForm
from yunghap.network.models import ExchangeGroup, Federation

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS
from ..forms import filters_from
from ..pagination import Listing, PageParams, page_of

router = Router(tags=["registry"])


class FederationOut(Schema):
    code: str
    name: str
    name_en: str
    provinces: list[str]

    @staticmethod
    def of(federation: Federation) -> FederationOut:
        return FederationOut(
            code=federation.code,
            name=federation.name,
            name_en=federation.name_en,
            provinces=[p.strip() for p in federation.provinces.split(";") if p.strip()],
        )


class GroupOut(Schema):
    code: str
    name: str
    federation: str = Field(description="지역연합회 코드")
    kind: str
    status: str
    founded_on: datetime.date | None
    exchange_types: list[str]
    member_count: int = Field(description="오늘 현재 회원사 수")
    division_count: int = Field(description="현재 회원사의 KSIC 중분류 수")

    @staticmethod
    def of(group: Any) -> GroupOut:
        return GroupOut(
            code=group.code,
            name=group.name,
            federation=group.federation.code,
            kind=group.kind,
            status=group.status,
            founded_on=group.founded_on,
            exchange_types=[t.code for t in group.exchange_types.all()],
            member_count=group.member_count,
            division_count=group.division_count,
        )


class GroupFilters(Schema):
    region: str = Field("", max_length=32, description="지역연합회 코드")
    exchange_type: str = Field("", max_length=32, description="교류 유형 코드 (info, resource, newproduct)")
    status: str = Field("", max_length=16, description="active, dormant, dissolved")
    division: str = Field("", max_length=2, description="회원사 업종 KSIC 중분류 코드 두 자리")
    q: str = Field("", max_length=100, description="교류회명·코드 검색")


@router.get("/federations", response={200: Listing[FederationOut], **AUTH_ERRORS}, summary="연합회 목록")
def list_federations(request: HttpRequest, page: Query[PageParams]) -> Any:
    federations = selectors.visible_federations(request.user).order_by("sort_order", "code")
    return page_of(federations, page, lambda rows: [FederationOut.of(f) for f in rows])


@router.get(
    "/federations/{code}",
    response={200: FederationOut, 304: None, **READ_ERRORS},
    summary="연합회 상세",
)
def get_federation(request: HttpRequest, code: str) -> HttpResponse:
    federation = get_object_or_404(selectors.visible_federations(request.user), code=code)
    return conditional_json(request, FederationOut.of(federation))


@router.get("/groups", response={200: Listing[GroupOut], **AUTH_ERRORS}, summary="교류회 목록")
def list_groups(request: HttpRequest, page: Query[PageParams], filters: Query[GroupFilters]) -> Any:
    cleaned = filters_from(GroupFilterForm, filters)
    groups = selectors.group_list(request.user, cleaned)
    return page_of(groups, page, lambda rows: [GroupOut.of(g) for g in selectors.attach_group_counts(rows)])


@router.get(
    "/groups/{code}",
    response={200: GroupOut, 304: None, **READ_ERRORS},
    summary="교류회 상세",
)
def get_group(request: HttpRequest, code: str) -> HttpResponse:
    group = get_object_or_404(
        ExchangeGroup.objects.visible_to(request.user)
        .select_related("federation")
        .prefetch_related("exchange_types"),
        code=code,
    )
    (group,) = selectors.attach_group_counts([group])
    return conditional_json(request, GroupOut.of(group))
