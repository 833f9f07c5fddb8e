"""Writes to the registry: groups, firms and memberships, through the pages' forms, permission functions and
services (one rule, one place). A JSON body is bound to the page's form: its Korean errors, and the
service's, are the API's 422 (`details`: field, messages, codes); a stale `version` is 409 `conflict`; a
visible object the user may not change is 403.

Creates accept an `Idempotency-Key` header: the same key from the same user runs the create once; a repeat
answers the first request's object (201, `Idempotent-Replayed: true`) and never makes a second one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from types import SimpleNamespace
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema

from yunghap.core import onetime
from yunghap.core.validators import normalize_brn
from yunghap.core.versions import StaleEdit
from yunghap.network import permissions, rules, selectors, services
from yunghap.network.forms import FirmForm, GroupForm, MembershipCreateForm, MembershipForm
from yunghap.network.models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership

from ..errors import AUTH_ERRORS, READ_ERRORS, ApiError, ErrorOut, error
from ..types import IsoDate
from . import network
from .network import (
    MAX_ID,
    FirmOut,
    GroupOut,
    MembershipOut,
    firm_detail_queryset,
    firm_out,
    memberships_out,
)

# The reads' router: a path's methods must live on one router (ninja matches the path once).
router = network.router

T = TypeVar("T")

# What each kind of write can answer (declared honestly in the document).
CREATE_ERRORS: dict[int, Any] = {**AUTH_ERRORS, 403: ErrorOut}
CREATE_IN_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}
EDIT_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut, 409: ErrorOut}

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_MAX = 200


# --- binding JSON to the pages' forms -------------------------------------------------------------------


def form_errors(form: forms.BaseForm) -> ApiError:
    details = [
        {
            "field": field,
            "messages": [str(m) for e in errors for m in e.messages],
            "codes": [e.code or "invalid" for e in errors],
        }
        for field, errors in form.errors.as_data().items()
    ]
    return error(422, "invalid", details=details)


def _plain(value: Any) -> Any:
    """A form's initial value as it would come back in posted data: objects as their keys."""
    if callable(value):
        value = value()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, list | tuple | set | models.QuerySet):
        return [_plain(v) for v in value]
    return value


def bind(
    form_class: Any,
    body: Mapping[str, Any],
    *,
    translate: Mapping[str, Callable[[Any], Any]] | None = None,
    **form_kwargs: Any,
) -> Any:
    """The page's form bound to the JSON body. Editing (an `instance`), the fields the body leaves out keep
    their stored values, as the page's form would post them back; `version` goes into the form's version
    check. `translate` turns the API's codes (a federation's `seoul`) into what the form takes (its id)."""
    translate = translate or {}
    # No one-time form token: the API's repeat protection is the Idempotency-Key (create_once).
    form_kwargs = {**form_kwargs, "one_time": False}
    unbound = form_class(**form_kwargs)
    data: dict[str, Any] = {}
    if form_kwargs.get("instance") is not None:
        for name, field in unbound.fields.items():
            if name in (onetime.FIELD, "version"):
                continue
            data[name] = _plain(unbound.initial.get(name, field.initial))
    for name, value in body.items():
        if name == "version":
            data["version"] = value
        elif name in unbound.fields:
            data[name] = translate[name](value) if name in translate and value is not None else value
    data = {k: ("" if v is None else v) for k, v in data.items()}
    form = form_class(data, **form_kwargs)
    if not form.is_valid():
        raise form_errors(form)
    return form


def service_errors(form: forms.BaseForm, exc: ValidationError) -> Any:
    """A service's refusal onto the form (as the page does), then the form's errors as the 422."""
    add = getattr(form, "add_service_errors", None)
    if add is not None:
        add(exc)
    else:
        from yunghap.core.forms import add_service_errors

        add_service_errors(form, exc)
    return form_errors(form)


def conflict(exc: StaleEdit) -> Any:
    current = exc.current
    return error(
        409,
        "conflict",
        details=[
            {"current_version": getattr(current, "version", None), "changed_fields": exc.changed_fields}
        ],
    )


def lookable(value: Any) -> bool:
    """A code worth asking the database about (a NUL byte or a novel would only make it fail)."""
    return isinstance(value, str) and len(value) <= 64 and "\x00" not in value


def by_code(model: Any, field: str = "code") -> Callable[[Any], Any]:
    def pk_of(value: Any) -> Any:
        if not lookable(value):
            return str(value)[:64].replace("\x00", "")
        found = model.objects.filter(**{field: str(value)}).values_list("pk", flat=True).first()
        return found if found is not None else str(value)  # unknown: the form says "not a valid choice"

    return pk_of


def codes(model: Any, field: str = "code") -> Callable[[Any], Any]:
    def pks_of(values: Any) -> Any:
        values = [str(v) for v in (values if isinstance(values, list) else [values])]
        asked = [v for v in values if lookable(v)]
        found = dict(model.objects.filter(**{f"{field}__in": asked}).values_list(field, "pk"))
        return [found.get(v, v) for v in values]

    return pks_of


def joined(values: Any) -> str:
    return "; ".join(str(v) for v in values) if isinstance(values, list) else str(values)


# --- one create per Idempotency-Key ----------------------------------------------------------------------


class Replayed(Exception):
    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


def create_once(request: HttpRequest, create: Callable[[], T], reference: Callable[[T], str]) -> T:
    """Run `create` once per `Idempotency-Key` of this user (the web forms' one-time tokens, `core.onetime`:
    the key is claimed in the create's transaction, so a failed create leaves it unused). A repeat raises
    `Replayed` with the first create's reference; without the header, `create` simply runs."""
    key = request.headers.get(IDEMPOTENCY_HEADER, "")
    if not key:
        with transaction.atomic():
            return create()
    if len(key) > IDEMPOTENCY_MAX or not key.isprintable():
        raise error(
            422,
            "invalid",
            details=[
                {"field": IDEMPOTENCY_HEADER, "messages": [_("Idempotency-Key는 200자 이하여야 합니다.")]}
            ],
        )
    # Per path: the same key sent to another create is another request.
    token = hashlib.sha256(f"api:{request.path}:{key}".encode()).hexdigest()
    try:
        return onetime.submit_once(request, SimpleNamespace(form_token=token), create, result_url=reference)  # type: ignore[arg-type]
    except onetime.AlreadySubmitted as done:
        raise Replayed(done.result_url) from None


def replay_response(request: HttpRequest, body: Schema) -> HttpResponse:
    from ..api import api

    response = api.create_response(request, body.model_dump(mode="json"), status=201)
    response["Idempotent-Replayed"] = "true"
    return response


# --- groups -----------------------------------------------------------------------------------------------


class GroupIn(Schema):
    code: str | None = Field(None, max_length=200, description="교류회 코드 (필수; 영문 소문자·숫자·하이픈)")
    name: str | None = Field(None, max_length=1000, description="교류회명 (필수)")
    federation: str | None = Field(None, max_length=200, description="지역연합회 코드 (필수)")
    kind: str | None = Field(None, max_length=200, description="unit, project (필수)")
    founded_on: IsoDate | None = None
    status: str | None = Field(None, max_length=200, description="active, dormant, dissolved (필수)")
    exchange_types: list[str] | None = Field(
        None, max_length=100, description="교류 유형 코드 (info, resource, newproduct)"
    )
    description: str | None = Field(None, max_length=20000)


class GroupPatch(GroupIn):
    version: int = Field(ge=1, le=MAX_ID, description="읽은 자료의 version (다르면 409)")


GROUP_CODES = {"federation": by_code(Federation), "exchange_types": codes(ExchangeType)}


def group_body(request: HttpRequest, group: ExchangeGroup) -> GroupOut:
    fresh = selectors.group_list(request.user, {}).filter(pk=group.pk).first()
    if fresh is None:  # created in a federation the user does not see (cannot happen through the form)
        fresh = ExchangeGroup.objects.select_related("federation").get(pk=group.pk)
    (fresh,) = selectors.attach_group_counts([fresh])
    return GroupOut.of(fresh)


@router.post("/groups", response={201: GroupOut, **CREATE_ERRORS}, summary="교류회 등록")
def create_group(request: HttpRequest, payload: GroupIn) -> Any:
    """Staff register groups, regional staff in their own region (as the group registration page)."""
    user = request.user
    if not permissions.can_create_group(user):
        raise PermissionDenied
    body = payload.model_dump(exclude_unset=True)
    body.setdefault("kind", ExchangeGroup.Kind.UNIT)
    body.setdefault("status", ExchangeGroup.Status.ACTIVE)
    form = bind(GroupForm, body, translate=GROUP_CODES, user=user)
    data = dict(form.cleaned_data)
    if not permissions.can_create_group(user, data["federation"]):
        raise PermissionDenied
    try:
        group = create_once(request, lambda: services.create_group(actor=user, **data), lambda g: str(g.pk))
    except Replayed as again:
        return replay_response(
            request, group_body(request, get_object_or_404(ExchangeGroup, pk=again.reference))
        )
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 201, group_body(request, group)


@router.patch("/groups/{code}", response={200: GroupOut, **EDIT_ERRORS}, summary="교류회 정보 수정")
def update_group(request: HttpRequest, code: str, payload: GroupPatch) -> Any:
    """The group's keepers (central, its region's staff, its officers) change its record; an officer does
    not move it to another federation (403)."""
    user = request.user
    group = get_object_or_404(ExchangeGroup.objects.visible_to(user).select_related("federation"), code=code)
    if not permissions.can_edit_group(user, group):
        raise PermissionDenied
    body = payload.model_dump(exclude_unset=True)
    form = bind(GroupForm, body, translate=GROUP_CODES, instance=group, user=user)
    moved = body.get("federation") not in (None, group.federation.code)
    if moved and form.fields["federation"].disabled:
        raise error(403, "forbidden", rules.MESSAGES[rules.FEDERATION_OUT_OF_SCOPE])
    try:
        group = services.update_group(
            group, actor=user, expected_version=form.expected_version, **form.cleaned_data
        )
    except StaleEdit as stale:
        raise conflict(stale) from None
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 200, group_body(request, group)


# --- firms ------------------------------------------------------------------------------------------------


class FirmIn(Schema):
    brn: str | None = Field(None, max_length=200, description="사업자등록번호 (필수; 하이픈은 있어도 됨)")
    name: str | None = Field(None, max_length=1000, description="기업명 (필수)")
    federation: str | None = Field(None, max_length=200, description="지역연합회 코드 (필수)")
    industry: str | None = Field(None, max_length=200, description="주 업종 KSIC 중분류 코드 (필수)")
    secondary_industries: list[str] | None = Field(
        None, max_length=100, description="부 업종 KSIC 중분류 코드"
    )
    employees: int | None = Field(None, ge=0, le=10_000_000)
    revenue_krw: int | None = Field(None, ge=0, le=MAX_ID, description="매출액(원)")
    founded_on: IsoDate | None = None
    technologies: list[str] | None = Field(None, max_length=500)
    products: list[str] | None = Field(None, max_length=500)
    representative: str | None = Field(None, max_length=1000)
    phone: str | None = Field(None, max_length=1000)
    email: str | None = Field(None, max_length=1000)
    address: str | None = Field(None, max_length=1000)
    status: str | None = Field(None, max_length=200, description="active, closed (필수)")


class FirmPatch(FirmIn):
    version: int = Field(ge=1, le=MAX_ID, description="읽은 자료의 version (다르면 409)")


FIRM_CODES = {
    "federation": by_code(Federation),
    "industry": by_code(Industry),
    "secondary_industries": codes(Industry),
    "technologies": joined,
    "products": joined,
}


def _staff_only_changes(firm: Firm, body: Mapping[str, Any]) -> dict[str, Any]:
    """The staff-only fields (rules.STAFF_ONLY_FIRM_FIELDS) that the body would move, for the rule."""
    moving: dict[str, Any] = {}
    if "brn" in body and normalize_brn(body["brn"]) != firm.brn:
        moving["brn"] = normalize_brn(body["brn"])
    if "status" in body and body["status"] != firm.status:
        moving["status"] = body["status"]
    if "federation" in body and body["federation"] != firm.federation.code:
        code = body["federation"]
        target = Federation.objects.filter(code=code).first() if lookable(code) else None
        moving["federation"] = target.pk if target else -1
    return moving


@router.post("/firms", response={201: FirmOut, **CREATE_ERRORS}, summary="회원사 등록")
def create_firm(request: HttpRequest, payload: FirmIn) -> Any:
    """Staff register firms; a group officer a new member's firm (as the firm registration page)."""
    user = request.user
    if not permissions.can_create_firm(user):
        raise PermissionDenied
    body = payload.model_dump(exclude_unset=True)
    body.setdefault("status", Firm.Status.ACTIVE)
    form = bind(FirmForm, body, translate=FIRM_CODES, user=user)
    data = form.cleaned_data
    try:
        firm = create_once(request, lambda: services.create_firm(actor=user, **data), lambda f: str(f.pk))
    except Replayed as again:
        return replay_response(request, _created_firm(request, int(again.reference)))
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 201, _created_firm(request, firm.pk)


def _created_firm(request: HttpRequest, pk: int) -> FirmOut:
    """What the creator sent, back: they typed the contacts themselves, nothing is revealed to them."""
    firm = Firm.objects.select_related("federation", "industry").prefetch_related("secondary_industries")
    return FirmOut.of(get_object_or_404(firm, pk=pk), show_personal=True)


@router.patch("/firms/{brn}", response={200: FirmOut, **EDIT_ERRORS}, summary="회원사 정보 수정")
def update_firm(request: HttpRequest, brn: str, payload: FirmPatch) -> Any:
    """The firm's own users change its profile; its federation's staff and central staff its whole record.
    A firm user sending another registration number, status or federation gets 403
    `firm_field_staff_only` (rules.check_firm_change, the rule the page's form applies)."""
    user = request.user
    firm = get_object_or_404(firm_detail_queryset(user), brn=normalize_brn(brn)[:12])
    if not permissions.can_edit_firm(user, firm):
        raise PermissionDenied
    body = payload.model_dump(exclude_unset=True)
    try:
        rules.check_firm_change(user, firm, _staff_only_changes(firm, body))
    except rules.RuleViolation as refused:
        raise error(
            403, refused.rule, rules.MESSAGES[refused.rule], details=[{"field": refused.field}]
        ) from None
    form = bind(FirmForm, body, translate=FIRM_CODES, instance=firm, user=user)
    try:
        firm = services.update_firm(
            firm, actor=user, expected_version=form.expected_version, **form.cleaned_data
        )
    except StaleEdit as stale:
        raise conflict(stale) from None
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 200, firm_out(request, firm_detail_queryset(user).get(pk=firm.pk))


# --- memberships ------------------------------------------------------------------------------------------


class MembershipIn(Schema):
    brn: str | None = Field(None, max_length=200, description="가입할 회원사의 사업자등록번호 (필수)")
    role: str | None = Field(None, max_length=200, description="chair, secretary, member (기본 member)")
    joined_on: IsoDate | None = Field(None, description="가입일 (필수)")
    left_on: IsoDate | None = Field(None, description="탈퇴일 (이미 끝난 기간을 기록할 때)")


class MembershipPatch(Schema):
    version: int = Field(ge=1, le=MAX_ID, description="읽은 자료의 version (다르면 409)")
    role: str | None = Field(None, max_length=200)
    joined_on: IsoDate | None = None
    left_on: IsoDate | None = Field(None, description="탈퇴일: 회원 탈퇴 (이력은 남습니다)")


def membership_body(request: HttpRequest, pk: int) -> MembershipOut:
    membership = get_object_or_404(Membership.objects.select_related("group", "firm__industry"), pk=pk)
    (item,) = memberships_out(request, [membership])
    return item


@router.post(
    "/groups/{code}/memberships",
    response={201: MembershipOut, **CREATE_IN_ERRORS},
    summary="회원 가입 등록",
)
def create_membership(request: HttpRequest, code: str, payload: MembershipIn) -> Any:
    """A firm joins the group: the group's keepers add firms in their scope (the membership form's rules;
    a number outside it reads as unregistered, 422 `firm_not_found`)."""
    user = request.user
    group = get_object_or_404(ExchangeGroup.objects.visible_to(user).select_related("federation"), code=code)
    if not permissions.can_manage_memberships(user, group):
        raise PermissionDenied
    body = payload.model_dump(exclude_unset=True)
    body.setdefault("role", Membership.Role.MEMBER)
    form = bind(MembershipCreateForm, body, user=user)
    values, firm = form.cleaned_data, form.firm
    assert firm is not None
    try:
        membership = create_once(
            request,
            lambda: services.add_membership(
                group,
                firm,
                actor=user,
                role=values["role"],
                joined_on=values["joined_on"],
                left_on=values["left_on"],
            ),
            lambda m: str(m.pk),
        )
    except Replayed as again:
        return replay_response(request, membership_body(request, int(again.reference)))
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 201, membership_body(request, membership.pk)


@router.patch(
    "/memberships/{membership_id}",
    response={200: MembershipOut, **EDIT_ERRORS},
    summary="회원 가입 이력 수정",
)
def update_membership(
    request: HttpRequest, payload: MembershipPatch, membership_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    """End a membership (`left_on`) or correct its role and dates, as the membership edit page allows:
    the group's keepers for a current period, the firm's own federation staff for one that has ended."""
    user = request.user
    membership = get_object_or_404(
        Membership.objects.visible_to(user).select_related("group__federation", "firm"), pk=membership_id
    )
    if not permissions.can_change_membership(user, membership):
        raise PermissionDenied
    form = bind(MembershipForm, payload.model_dump(exclude_unset=True), instance=membership)
    try:
        services.update_membership(
            membership, actor=user, expected_version=form.expected_version, **form.cleaned_data
        )
    except StaleEdit as stale:
        raise conflict(stale) from None
    except ValidationError as exc:
        raise service_errors(form, exc) from None
    return 200, membership_body(request, membership.pk)
