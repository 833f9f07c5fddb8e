"""/api/v1/postings: the technology board as it shows to this user (matching.board: approved, open, within
the posting's audience, the board's filter form), a posting as its edit page finds it
(Posting.objects.visible_to), and a firm's own postings written through matching.posting_services with the
pages' form (PostingForm: the same validation and review rules; a new or changed text waits for review).

Postings carry no version column: `version` is the posting's last change (updated_at, ISO 8601); a PATCH
with an older one answers 409 `conflict`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yunghap.accounts.scope import scope_of
from yunghap.matching import board, posting_views
from yunghap.matching.models import Posting

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS, WRITE_ERRORS, ErrorOut, error
from ..forms import filters_from
from ..pagination import Listing, PageParams, page_of
from ..types import IsoDate

router = Router(tags=["matching"])


class PostingOut(Schema):
    id: int
    kind: str = Field(description="offer(기술 제공) 또는 need(기술 수요)")
    title: str
    description: str
    keywords: list[str]
    firm: str = Field(description="회원사명")
    region: str | None = Field(description="회원사의 지역연합회 코드")
    industry: str | None = Field(description="KSIC 중분류 코드 (게시글에 없으면 회원사의 것)")
    growth_engines: list[str]
    expires_on: datetime.date
    visibility: str
    review_status: str
    version: str = Field(description="마지막 수정 시각: PATCH에 그대로 보냅니다")

    @staticmethod
    def of(posting: Posting) -> PostingOut:
        industry = posting.industry or posting.firm.industry
        federation = posting.firm.federation
        return PostingOut(
            id=posting.pk,
            kind=posting.kind,
            title=posting.title,
            description=posting.description,
            keywords=list(posting.keywords or []),
            firm=posting.firm.name,
            region=federation.code if federation else None,
            industry=industry.code if industry else None,
            growth_engines=[g.code for g in posting.growth_engines.all()],
            expires_on=posting.expires_on,
            visibility=posting.visibility,
            review_status=posting.review_status,
            version=version_of(posting),
        )


def version_of(posting: Posting) -> str:
    return posting.updated_at.isoformat()


class BoardFilters(Schema):
    kind: str = Field("", max_length=8, description="offer 또는 need")
    division: str = Field("", max_length=2, description="업종 KSIC 중분류 코드 두 자리")
    region: str = Field("", max_length=32, description="지역연합회 코드")
    q: str = Field("", max_length=100, description="키워드 검색")


class PostingIn(Schema):
    firm: str = Field("", max_length=12, description="회원사 사업자등록번호 (담당 회원사가 여럿일 때)")
    kind: str = Field(max_length=8)
    title: str = Field(max_length=200)
    description: str = Field("", max_length=8000)
    keywords: list[str] = Field(default_factory=list, max_length=30)
    industry: str = Field("", max_length=2, description="KSIC 중분류 코드")
    growth_engines: list[str] = Field(default_factory=list, max_length=20)
    expires_on: datetime.date
    visibility: str = Field("network", max_length=16)


class PostingPatch(Schema):
    version: str = Field(max_length=64, description="읽었을 때의 version")
    kind: str | None = Field(None, max_length=8)
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=8000)
    keywords: list[str] | None = Field(None, max_length=30)
    industry: str | None = Field(None, max_length=2)
    growth_engines: list[str] | None = Field(None, max_length=20)
    expires_on: IsoDate | None = None
    visibility: str | None = Field(None, max_length=16)


def _posting_rows(queryset: Any) -> Any:
    return queryset.select_related("firm__federation", "firm__industry", "industry").prefetch_related(
        "growth_engines"
    )


def _form_data(values: dict[str, Any], form: Any) -> dict[str, Any]:
    """The posting as the page's form takes it: codes become the choices' primary keys."""
    from yunghap.network.models import Industry
    from yunghap.programmes.models import GrowthEngine

    data = {
        "kind": values["kind"],
        "title": values["title"],
        "description": values.get("description") or "",
        "keywords_text": ", ".join(values.get("keywords") or []),
        "expires_on": values["expires_on"].isoformat() if values.get("expires_on") else "",
        "visibility": values.get("visibility") or "",
        "industry": "",
        "growth_engines": [],
    }
    if values.get("industry"):
        found = Industry.objects.filter(code=values["industry"]).first()
        data["industry"] = str(found.pk) if found else "0"
    engines = values.get("growth_engines") or []
    if engines:
        found_ids = dict(GrowthEngine.objects.filter(code__in=engines).values_list("code", "pk"))
        data["growth_engines"] = [str(found_ids.get(code, 0)) for code in engines]
    return data


def _refused(form: Any) -> Exception:
    names = {"keywords_text": "keywords"}
    details = [{"field": names.get(f, f), "messages": [str(m) for m in ms]} for f, ms in form.errors.items()]
    return error(422, "invalid", details=details)


@router.get(
    "/postings", response={200: Listing[PostingOut], 403: ErrorOut, **AUTH_ERRORS}, summary="기술 게시판"
)
def list_postings(request: HttpRequest, page: Query[PageParams], filters: Query[BoardFilters]) -> Any:
    if not scope_of(request.user).has_network_access:
        raise PermissionDenied(_("교류망 회원만 기술 게시판을 볼 수 있습니다."))
    cleaned = filters_from(board.BoardFilterForm, filters)
    postings = _posting_rows(board.board_postings(request.user, cleaned))
    return page_of(postings, page, lambda rows: [PostingOut.of(p) for p in rows])


@router.get(
    "/postings/{id}",
    response={200: PostingOut, 304: None, **READ_ERRORS},
    summary="기술 게시글 상세",
)
def get_posting(request: HttpRequest, id: int) -> HttpResponse:
    posting = get_object_or_404(_posting_rows(Posting.objects.visible_to(request.user)), pk=id)
    return conditional_json(request, PostingOut.of(posting))


@router.post("/postings", response={201: PostingOut, **WRITE_ERRORS}, summary="기술 게시글 쓰기 (회원사)")
def create_posting(request: HttpRequest, body: PostingIn) -> Any:
    firms = posting_views._own_firms(request.user)
    if not firms.exists():
        raise PermissionDenied(_("회원사 담당자만 게시글을 쓸 수 있습니다."))
    several = firms.count() > 1
    form = posting_views.PostingForm(_form_data(body.model_dump(), None), firm_choices=None)
    if not form.is_valid():
        raise _refused(form)
    if several:
        firm = firms.filter(brn=body.firm).first()
        if firm is None:
            raise error(
                422,
                "invalid",
                details=[{"field": "firm", "messages": [_("담당 회원사의 사업자등록번호를 보내 주세요.")]}],
            )
    else:
        firm = firms.get()
    try:
        with transaction.atomic():
            posting = posting_views._posting_services().create_posting(
                firm, actor=request.user, **form.service_fields()
            )
    except ValidationError as exc:
        raise error(422, "invalid", details=[{"field": "", "messages": exc.messages}]) from None
    posting_views._notify_reviewers(posting)
    posting = get_object_or_404(_posting_rows(Posting.objects.all()), pk=posting.pk)
    return 201, PostingOut.of(posting)


@router.patch("/postings/{id}", response={200: PostingOut, **WRITE_ERRORS}, summary="기술 게시글 고치기")
def update_posting(request: HttpRequest, id: int, body: PostingPatch) -> Any:
    posting = get_object_or_404(Posting.objects.visible_to(request.user).select_related("firm"), pk=id)
    if not posting_views._can_edit(request.user, posting):
        raise PermissionDenied(_("이 게시글을 고칠 권한이 없습니다."))
    sent = body.model_dump(exclude_unset=True)
    current = {
        "kind": posting.kind,
        "title": posting.title,
        "description": posting.description,
        "keywords": list(posting.keywords or []),
        "industry": posting.industry.code if posting.industry else "",
        "growth_engines": [g.code for g in posting.growth_engines.all()],
        "expires_on": posting.expires_on,
        "visibility": posting.visibility,
    }
    values = {**current, **{k: v for k, v in sent.items() if k != "version" and v is not None}}
    form = posting_views.PostingForm(_form_data(values, None), instance=posting)
    if not form.is_valid():
        raise _refused(form)
    with transaction.atomic():
        locked = Posting.objects.select_for_update().get(pk=posting.pk)
        if version_of(locked) != body.version:
            raise error(409, "conflict")
        try:
            posting = posting_views._posting_services().update_posting(
                locked, actor=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            raise error(422, "invalid", details=[{"field": "", "messages": exc.messages}]) from None
    if posting.review_status == Posting.ReviewStatus.PENDING:
        posting_views._notify_reviewers(posting)
    else:
        from yunghap.matching.searches import enqueue_report

        enqueue_report(posting.pk)
    posting = get_object_or_404(_posting_rows(Posting.objects.all()), pk=posting.pk)
    return PostingOut.of(posting)
