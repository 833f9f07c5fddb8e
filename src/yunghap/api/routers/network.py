"""/api/v1/federations, /groups, /firms and /memberships: the registry as the pages show it, through the same
selectors (scope, filters), the same filter forms (their errors are the API's 422) and the same rules on
personal data (masked unless `network.permissions` says the user may see it; every unmasked display logged).
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema

from yunghap.core.audit import record_access
from yunghap.core.models import AccessLog
from yunghap.core.validators import normalize_brn
from yunghap.network import permissions, selectors
from yunghap.network.access import FIRM_OBJECT_TYPE, PERSONAL_MASKS, record_firm_display
from yunghap.network.forms import FirmFilterForm, GroupFilterForm
from yunghap.network.models import ExchangeGroup, Federation, Firm, Membership

from .. import directory
from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS
from ..forms import filters_from
from ..pagination import Listing, PageParams, page_of

router = Router(tags=["registry"])

# Ids in paths: what a bigint holds (a larger number is a 422, never a database error).
MAX_ID = 2**63 - 1


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
    version: int = Field(description="수정할 때 함께 보내는 버전")
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
            version=group.version,
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


# --- firms --------------------------------------------------------------------------------------------


class FirmSummaryOut(Schema):
    """A firm in the list: what the firm list page shows (no personal data there either)."""

    visibility: Literal["full"] = Field("full", description="full: 범위 안의 회원사")
    brn: str = Field(description="사업자등록번호 숫자 10자리")
    name: str
    federation: str = Field(description="지역연합회 코드")
    industry: str = Field(description="주 업종 KSIC 중분류 코드")
    size_class: str = Field(description="micro, small, medium, large 또는 빈 값")
    employees: int | None
    status: str = Field(description="active, closed")
    group_count: int = Field(description="오늘 현재 가입 중인 교류회 수")

    @staticmethod
    def of(firm: Any) -> FirmSummaryOut:
        return FirmSummaryOut(
            visibility="full",
            brn=firm.brn,
            name=firm.name,
            federation=firm.federation.code,
            industry=firm.industry.code,
            size_class=firm.size_class,
            employees=firm.employees,
            status=firm.status,
            group_count=firm.group_count,
        )


class FirmOut(Schema):
    """A firm in the user's scope: the registry record as its page shows it. `representative`, `phone` and
    `email` are masked (홍*동, 010-****-5678) unless the user may see them (`personal_data`)."""

    visibility: Literal["full"] = Field("full", description="full: 범위 안의 회원사")
    brn: str
    name: str
    version: int = Field(description="수정할 때 함께 보내는 버전")
    federation: str
    industry: str
    secondary_industries: list[str]
    size_class: str
    employees: int | None
    revenue_krw: int | None = Field(description="매출액(원)")
    founded_on: datetime.date | None
    technologies: list[str]
    products: list[str]
    address: str
    status: str
    personal_data: Literal["shown", "masked"] = Field(description="대표자·전화·이메일을 그대로 보이는지")
    representative: str
    phone: str
    email: str

    @staticmethod
    def of(firm: Firm, *, show_personal: bool) -> FirmOut:
        personal = {
            name: value if show_personal or not value else PERSONAL_MASKS[name](value)
            for name in Firm.PERSONAL_FIELDS
            for value in [getattr(firm, name) or ""]
        }
        return FirmOut(
            visibility="full",
            brn=firm.brn,
            name=firm.name,
            version=firm.version,
            federation=firm.federation.code,
            industry=firm.industry.code,
            secondary_industries=sorted(i.code for i in firm.secondary_industries.all()),
            size_class=firm.size_class,
            employees=firm.employees,
            revenue_krw=firm.revenue_krw,
            founded_on=firm.founded_on,
            technologies=list(firm.technologies or []),
            products=list(firm.products or []),
            address=firm.address,
            status=firm.status,
            personal_data="shown" if show_personal else "masked",
            representative=personal["representative"],
            phone=personal["phone"],
            email=personal["email"],
        )


class PublicFirmOut(Schema):
    """A listed firm outside the user's scope: the public directory card and nothing else (never a
    person's name, phone or e-mail)."""

    visibility: Literal["public"] = Field("public", description="public: 범위 밖, 공개 명부에 실린 회원사")
    brn: str
    id: str = Field(description="공개 명부의 회원사 ID")
    name: str
    region: str
    region_name: str
    industry: str
    industry_name: str
    founded_year: int | None
    technologies: list[str]
    products: list[str]


class FirmFilters(Schema):
    region: str = Field("", max_length=32, description="지역연합회 코드")
    division: str = Field("", max_length=2, description="KSIC 중분류 코드 두 자리")
    secondary: bool = Field(False, description="부 업종으로 가진 회원사도 포함")
    size: str = Field("", max_length=16, description="micro, small, medium, large")
    q: str = Field("", max_length=100, description="기업명·사업자등록번호 검색")


def firm_detail_queryset(user: Any) -> Any:
    return (
        Firm.objects.visible_to(user)
        .select_related("federation", "industry")
        .prefetch_related("secondary_industries")
    )


def firm_out(request: HttpRequest, firm: Firm) -> FirmOut:
    """The firm as its page shows it; an unmasked display is logged as the page logs it."""
    show_personal = permissions.can_see_personal_data(request.user, firm)
    if show_personal:
        record_firm_display(request.user, [firm], request)
    return FirmOut.of(firm, show_personal=show_personal)


@router.get("/firms", response={200: Listing[FirmSummaryOut], **AUTH_ERRORS}, summary="회원사 목록")
def list_firms(request: HttpRequest, page: Query[PageParams], filters: Query[FirmFilters]) -> Any:
    """The firm list page: firms in the user's scope, its filters, no personal data."""
    cleaned = filters_from(FirmFilterForm, filters)
    firms = selectors.firm_list(request.user, cleaned)
    return page_of(
        firms, page, lambda rows: [FirmSummaryOut.of(f) for f in selectors.attach_firm_counts(rows)]
    )


@router.get(
    "/firms/{brn}",
    response={200: FirmOut | PublicFirmOut, 304: None, **READ_ERRORS},
    summary="회원사 상세",
)
def get_firm(request: HttpRequest, brn: str) -> HttpResponse:
    """In scope: the record (`visibility: "full"`), personal data as the firm page shows it. Outside the
    scope: the public card (`visibility: "public"`) if the firm is listed in the public directory, else 404."""
    number = normalize_brn(brn) if len(brn) <= 12 else ""
    firm = firm_detail_queryset(request.user).filter(brn=number).first()
    if firm is not None:
        return conditional_json(request, firm_out(request, firm))
    listed = directory.listed_firms().select_related("federation", "industry").filter(brn=number).first()
    if listed is None:
        raise Http404
    return conditional_json(request, PublicFirmOut(brn=listed.brn, **directory.public_firm_card(listed)))


# --- memberships ----------------------------------------------------------------------------------------


class MembershipFirmOut(Schema):
    brn: str | None = Field(description="사용자가 열어 볼 수 있는 회원사일 때만")
    name: str
    industry: str
    representative: str | None = Field(description="현재 회원의 대표자 (명단 관리자가 아니면 가림)")
    phone: str | None = Field(description="현재 회원의 전화번호 (명단 관리자가 아니면 가림)")


class MembershipOut(Schema):
    id: int
    version: int
    group: str = Field(description="교류회 코드")
    role: str = Field(description="chair, secretary, member")
    joined_on: datetime.date
    left_on: datetime.date | None
    current: bool = Field(description="오늘 현재 회원인지")
    firm: MembershipFirmOut


class MembershipFilterForm(forms.Form):
    """The filters of the membership lists (the group page's member list across groups)."""

    group = forms.SlugField(label=_("교류회"), required=False, max_length=32)
    firm = forms.CharField(label=_("사업자등록번호"), required=False, max_length=12)
    current = forms.NullBooleanField(label=_("현재 회원만"), required=False)

    def clean_firm(self) -> str:
        value = self.cleaned_data["firm"]
        if not value:
            return ""
        number = normalize_brn(value)
        if not (number.isascii() and number.isdigit() and len(number) == 10):
            raise forms.ValidationError(_("사업자등록번호는 숫자 10자리입니다."))
        return number

    def filters(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if v not in ("", None)}


class MembershipFilters(Schema):
    group: str = Field("", max_length=32, description="교류회 코드")
    firm: str = Field("", max_length=12, description="회원사 사업자등록번호")
    current: bool | None = Field(None, description="true: 오늘 현재 회원만, false: 탈퇴한 기간만")


class GroupMembershipFilters(Schema):
    current: bool | None = Field(None, description="true: 오늘 현재 회원만, false: 탈퇴한 기간만")


def membership_list(user: Any, filters: dict[str, Any]) -> Any:
    memberships = Membership.objects.visible_to(user)
    if filters.get("group"):
        memberships = memberships.filter(group__code=filters["group"])
    if filters.get("firm"):
        memberships = memberships.filter(firm__brn=filters["firm"])
    if filters.get("current") is True:
        memberships = memberships.current()
    elif filters.get("current") is False:
        memberships = memberships.exclude(pk__in=Membership.objects.current().values("pk"))
    return memberships.select_related("group", "firm__industry").order_by("group__code", "-joined_on", "pk")


def memberships_out(request: HttpRequest, rows: list[Membership]) -> list[MembershipOut]:
    """Members as the group page shows them: a firm's number only where the user may open the firm; the
    current members' contacts unmasked only for those who keep the list, and that display logged."""
    user = request.user
    openable = selectors.visible_firm_ids(user, {m.firm_id for m in rows})
    keeps: dict[int, bool] = {}
    shown: list[int] = []
    items = []
    for m in rows:
        if m.group_id not in keeps:
            keeps[m.group_id] = permissions.can_see_members_personal_data(user, m.group)
        current = m.is_current()
        contact: dict[str, str | None] = {"representative": None, "phone": None}
        if current:
            for name in ("representative", "phone"):
                value = getattr(m.firm, name) or ""
                contact[name] = value if keeps[m.group_id] or not value else PERSONAL_MASKS[name](value)
            if keeps[m.group_id] and (m.firm.representative or m.firm.phone):
                shown.append(m.firm_id)
        items.append(
            MembershipOut(
                id=m.pk,
                version=m.version,
                group=m.group.code,
                role=m.role,
                joined_on=m.joined_on,
                left_on=m.left_on,
                current=current,
                firm=MembershipFirmOut(
                    brn=m.firm.brn if m.firm_id in openable else None,
                    name=m.firm.name,
                    industry=m.firm.industry.code,
                    **contact,
                ),
            )
        )
    if shown:
        record_access(user, AccessLog.Kind.VIEW, FIRM_OBJECT_TYPE, shown, request)
    return items


@router.get(
    "/memberships", response={200: Listing[MembershipOut], **AUTH_ERRORS}, summary="회원 가입 이력 목록"
)
def list_memberships(request: HttpRequest, page: Query[PageParams], filters: Query[MembershipFilters]) -> Any:
    """Membership periods of the groups the user sees (a group's member list is one of its shared pages)."""
    cleaned = filters_from(MembershipFilterForm, filters)
    return page_of(
        membership_list(request.user, cleaned), page, lambda rows: memberships_out(request, list(rows))
    )


@router.get(
    "/memberships/{membership_id}",
    response={200: MembershipOut, 304: None, **READ_ERRORS},
    summary="회원 가입 이력 상세",
)
def get_membership(request: HttpRequest, membership_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.visible_to(request.user).select_related("group", "firm__industry"),
        pk=membership_id,
    )
    (item,) = memberships_out(request, [membership])
    return conditional_json(request, item)


@router.get(
    "/groups/{code}/memberships",
    response={200: Listing[MembershipOut], **READ_ERRORS},
    summary="교류회의 회원 가입 이력",
)
def list_group_memberships(
    request: HttpRequest, code: str, page: Query[PageParams], filters: Query[GroupMembershipFilters]
) -> Any:
    """A group's member list, current and former periods (404 for a group outside the user's scope)."""
    group = get_object_or_404(ExchangeGroup.objects.visible_to(request.user), code=code)
    cleaned = filters_from(
        MembershipFilterForm, MembershipFilters(group="", firm="", current=filters.current)
    )
    cleaned["group"] = group.code
    return page_of(
        membership_list(request.user, cleaned), page, lambda rows: memberships_out(request, list(rows))
    )
