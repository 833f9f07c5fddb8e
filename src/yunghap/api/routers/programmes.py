"""/api/v1/calls and /api/v1/applications: calls as their pages show them (Call.objects.visible_to:
published to everyone, drafts to central staff) and applications in the programmes pages' scope
(Application.objects.visible_to: staff, the consortium's firms, coordinators, assigned reviewers)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yunghap.programmes import call_rules_text
from yunghap.programmes.models import Application, Call

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS, error
from ..pagination import Listing, PageParams, page_of

router = Router(tags=["programmes"])

CALL_STATES = ("open", "upcoming", "closed", "draft")


class CallOut(Schema):
    code: str
    title: str
    description: str
    state: str = Field(description="open, upcoming, closed, draft")
    opens_on: datetime.date
    closes_on: datetime.date
    published: bool
    budget_krw: int
    quota: int
    grant_cap_krw: int
    topics: list[str]
    version: int

    @staticmethod
    def of(call: Call, now: Any) -> CallOut:
        return CallOut(
            code=call.code,
            title=call.title,
            description=call.description,
            state=call_rules_text.state_of(call, now),
            opens_on=call.opens_on,
            closes_on=call.closes_on,
            published=call.published_at is not None,
            budget_krw=call.budget_krw,
            quota=call.quota,
            grant_cap_krw=call.grant_cap_krw,
            topics=[t.code for t in call.topics.all()],
            version=call.version,
        )


class CallFilters(Schema):
    state: str = Field("", max_length=16, description="open, upcoming, closed, draft")


class ApplicationOut(Schema):
    id: int
    ref: str
    call: str = Field(description="공모 코드")
    title: str
    consortium: str
    lead: str = Field(description="주관기업명")
    status: str = Field(description="draft, submitted, withdrawn")
    eligibility: str = Field(description="eligible, ineligible, 빈 값 = 미검토")
    topic: str | None
    starts_on: datetime.date | None
    ends_on: datetime.date | None
    government_krw: int
    firm_cash_krw: int
    firm_inkind_krw: int
    submitted_at: datetime.datetime | None
    version: int

    @staticmethod
    def of(application: Application) -> ApplicationOut:
        return ApplicationOut(
            id=application.pk,
            ref=application.ref,
            call=application.call.code,
            title=application.title,
            consortium=application.consortium.name,
            lead=application.consortium.lead.name,
            status=application.status,
            eligibility=application.eligibility,
            topic=application.topic.code if application.topic else None,
            starts_on=application.starts_on,
            ends_on=application.ends_on,
            government_krw=application.government_krw,
            firm_cash_krw=application.firm_cash_krw,
            firm_inkind_krw=application.firm_inkind_krw,
            submitted_at=application.submitted_at,
            version=application.version,
        )


class ApplicationFilters(Schema):
    call: str = Field("", max_length=32, description="공모 코드")
    status: str = Field("", max_length=16, description="draft, submitted, withdrawn")


def _invalid(field: str, message: str) -> Exception:
    return error(422, "invalid", details=[{"field": field, "messages": [message]}])


@router.get("/calls", response={200: Listing[CallOut], **AUTH_ERRORS}, summary="공모 목록")
def list_calls(request: HttpRequest, page: Query[PageParams], filters: Query[CallFilters]) -> Any:
    if filters.state and filters.state not in CALL_STATES:
        raise _invalid("state", _("상태는 open, upcoming, closed, draft 중 하나입니다."))
    now = timezone.now()
    calls = Call.objects.visible_to(request.user).prefetch_related("topics").order_by("-opens_on", "code")
    if filters.state:
        # The state is the pages' (call_rules_text.state_of): computed, so filtered in Python.
        chosen = [c.pk for c in calls if call_rules_text.state_of(c, now) == filters.state]
        calls = calls.filter(pk__in=chosen)
    return page_of(calls, page, lambda rows: [CallOut.of(c, now) for c in rows])


@router.get("/calls/{code}", response={200: CallOut, 304: None, **READ_ERRORS}, summary="공모 상세")
def get_call(request: HttpRequest, code: str) -> HttpResponse:
    call = get_object_or_404(Call.objects.visible_to(request.user).prefetch_related("topics"), code=code)
    return conditional_json(request, CallOut.of(call, timezone.now()))


def _applications(request: HttpRequest) -> Any:
    return Application.objects.visible_to(request.user).select_related(
        "call", "topic", "consortium", "consortium__lead"
    )


@router.get("/applications", response={200: Listing[ApplicationOut], **AUTH_ERRORS}, summary="신청 목록")
def list_applications(
    request: HttpRequest, page: Query[PageParams], filters: Query[ApplicationFilters]
) -> Any:
    applications = _applications(request).order_by("-created_at", "-id")
    if filters.status:
        if filters.status not in Application.Status.values:
            raise _invalid("status", _("상태는 draft, submitted, withdrawn 중 하나입니다."))
        applications = applications.filter(status=filters.status)
    if filters.call:
        if not Call.objects.visible_to(request.user).filter(code=filters.call).exists():
            raise _invalid("call", _("알 수 없는 공모 코드입니다."))
        applications = applications.filter(call__code=filters.call)
    return page_of(applications, page, lambda rows: [ApplicationOut.of(a) for a in rows])


@router.get(
    "/applications/{id}", response={200: ApplicationOut, 304: None, **READ_ERRORS}, summary="신청 상세"
)
def get_application(request: HttpRequest, id: int) -> HttpResponse:
    application = get_object_or_404(_applications(request), pk=id)
    return conditional_json(request, ApplicationOut.of(application))
