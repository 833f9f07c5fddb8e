"""Membership requests (가입 요청): how a group adds a firm outside its keepers' scope, with consent.

The group's officer or regional staff send a request for a business registration number; the firm's own
users and its federation's staff see it and accept (the membership is then added by `add_membership`,
through the same rules) or decline; the sender may withdraw it. Every step: one transaction, an audit row,
notifications after commit.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.accounts.models import Role, User
from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_change
from yunghap.core.messenger import notify

from . import message_codes, rules
from .models import ExchangeGroup, Firm, MembershipRequest
from .services import add_membership

State = MembershipRequest.State


def _link() -> str:
    return reverse("network:membership_request_list")


def deciders_of(firm: Firm) -> list[User]:
    """Who may answer a request for this firm: its own users and its federation's staff."""
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(grants__role=Role.FIRM_USER, grants__firm=firm)
            | Q(grants__role=Role.REGIONAL_STAFF, grants__federation_id=firm.federation_id)
        )
        .distinct()
    )


def can_decide(user: Any, request: MembershipRequest, firm: Firm | None) -> bool:
    scope = scope_of(user)
    if firm is None:
        return False
    return scope.central or firm.pk in scope.firm_ids or firm.federation_id in scope.region_ids


def can_withdraw(user: Any, request: MembershipRequest) -> bool:
    return rules.can_manage_members_of(user, request.group) or (
        request.requested_by_id is not None and request.requested_by_id == getattr(user, "pk", None)
    )


def _firm_of(request: MembershipRequest) -> Firm | None:
    return Firm.objects.filter(brn=request.brn).select_related("federation").first()


@transaction.atomic
def request_membership(
    group: ExchangeGroup, *, actor: Any, brn: str, role: str, joined_on: datetime.date
) -> MembershipRequest:
    """Send (or, if one is already pending for this group and number, return) a request. The answer is the
    same whether or not a firm with this number is registered."""
    rules.check_group_managed(actor, group)
    errors: dict[str, list[str]] = {}
    if joined_on > timezone.localdate():
        errors["joined_on"] = [_("가입일은 오늘 이후일 수 없습니다.")]
    elif group.founded_on and joined_on < group.founded_on:
        errors["joined_on"] = [_("가입일은 교류회 창립일보다 빠를 수 없습니다.")]
    if errors:
        raise ValidationError(errors)
    ExchangeGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).get()
    pending = MembershipRequest.objects.filter(group=group, brn=brn, state=State.PENDING).first()
    if pending is not None:
        return pending
    request = MembershipRequest.objects.create(
        group=group, brn=brn, role=role, joined_on=joined_on, requested_by=actor if actor else None
    )
    record_change(
        actor,
        "membership_request.create",
        request,
        {"group": group.code, "brn": brn, "role": role, "joined_on": joined_on},
    )
    firm = _firm_of(request)
    if firm is not None:
        notify(
            deciders_of(firm),
            code=message_codes.MEMBERSHIP_REQUEST_RECEIVED,
            params={"group": group.name, "firm": firm.name},
            link=_link(),
            verb="membership_request",
        )
    return request


def _locked_pending(request: MembershipRequest) -> MembershipRequest:
    locked = MembershipRequest.objects.select_for_update().select_related("group").get(pk=request.pk)
    if locked.state != State.PENDING:
        raise ValidationError(
            _("이미 처리된 가입 요청입니다(%(state)s).") % {"state": locked.get_state_display()}
        )
    return locked


def _close(request: MembershipRequest, *, actor: Any, state: str) -> None:
    request.state = state
    request.decided_by = actor if getattr(actor, "pk", None) else None
    request.decided_at = timezone.now()
    request.save(update_fields=["state", "decided_by", "decided_at", "membership", "updated_at"])


def _tell_sender(request: MembershipRequest, code: str, params: dict[str, Any]) -> None:
    if request.requested_by is not None:
        notify([request.requested_by], code=code, params=params, link=_link(), verb="membership_request")


@transaction.atomic
def accept_membership_request(request: MembershipRequest, *, actor: Any) -> MembershipRequest:
    """The firm (or its federation) consents: the membership is added with the request's role and date."""
    request = _locked_pending(request)
    firm = _firm_of(request)
    if not can_decide(actor, request, firm):
        raise PermissionDenied
    assert firm is not None
    request.membership = add_membership(
        request.group, firm, actor=actor, role=request.role, joined_on=request.joined_on, consented=True
    )
    _close(request, actor=actor, state=State.ACCEPTED)
    record_change(actor, "membership_request.accept", request, {"membership": request.membership.pk})
    _tell_sender(
        request,
        message_codes.MEMBERSHIP_REQUEST_ACCEPTED,
        {"firm": firm.name, "group": request.group.name},
    )
    return request


@transaction.atomic
def decline_membership_request(request: MembershipRequest, *, actor: Any) -> MembershipRequest:
    request = _locked_pending(request)
    if not can_decide(actor, request, _firm_of(request)):
        raise PermissionDenied
    _close(request, actor=actor, state=State.DECLINED)
    record_change(actor, "membership_request.decline", request, {})
    _tell_sender(
        request,
        message_codes.MEMBERSHIP_REQUEST_DECLINED,
        {"group": request.group.name, "brn": request.brn_display},
    )
    return request


@transaction.atomic
def withdraw_membership_request(request: MembershipRequest, *, actor: Any) -> MembershipRequest:
    request = _locked_pending(request)
    if not can_withdraw(actor, request):
        raise PermissionDenied
    _close(request, actor=actor, state=State.WITHDRAWN)
    record_change(actor, "membership_request.withdraw", request, {})
    return request
