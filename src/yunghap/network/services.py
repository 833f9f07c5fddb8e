"""Every change to the registry goes through these functions: validated, one transaction, one audit row."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yunghap.core.audit import record_change
from yunghap.core.validators import normalize_brn
from yunghap.core.versions import bump_version, lock_version

from . import rules
from .models import ExchangeGroup, ExchangeType, Firm, Membership

GROUP_FIELDS = ("code", "name", "federation", "kind", "founded_on", "status", "description")
FIRM_FIELDS = (
    "brn",
    "name",
    "representative",
    "phone",
    "email",
    "address",
    "federation",
    "industry",
    "employees",
    "revenue_krw",
    "founded_on",
    "technologies",
    "products",
    "status",
)


def _assign(obj: Any, fields: Iterable[str], values: dict[str, Any]) -> dict[str, list[Any]]:
    """Set the given fields and return what moved, as {field: [old, new]} for the audit row."""
    changes: dict[str, list[Any]] = {}
    for name in fields:
        if name not in values:
            continue
        # An unsaved object has no related row yet: reading its foreign key raises, so default to None.
        old, new = getattr(obj, name, None), values[name]
        if old != new:
            changes[name] = [old, new]
            setattr(obj, name, new)
    return changes


def _full_clean(obj: Any, exclude: Iterable[str] = ()) -> None:
    # validate_unique and validate_constraints are part of full_clean: duplicates get a message, not a 500.
    obj.full_clean(exclude=list(exclude))


@transaction.atomic
def create_group(*, actor: Any, exchange_types: Iterable[ExchangeType] = (), **fields: Any) -> ExchangeGroup:
    group = ExchangeGroup()
    _assign(group, GROUP_FIELDS, fields)
    _full_clean(group)
    group.save()
    types = list(exchange_types)
    group.exchange_types.set(types)
    record_change(actor, "group.create", group, {**fields, "exchange_types": [t.code for t in types]})
    return group


@transaction.atomic
def update_group(
    group: ExchangeGroup,
    *,
    actor: Any,
    exchange_types: Iterable[ExchangeType] | None = None,
    expected_version: int | None = None,
    **fields: Any,
) -> ExchangeGroup:
    """Raises `StaleEdit` (code `stale`) when the group changed after the form read `expected_version`."""
    lock_version(group, expected_version)
    changes = _assign(group, GROUP_FIELDS, fields)
    _full_clean(group)
    types = None
    if exchange_types is not None:
        before = sorted(group.exchange_types.values_list("code", flat=True))
        types = list(exchange_types)
        after = sorted(t.code for t in types)
        if before != after:
            changes["exchange_types"] = [before, after]
    if changes:
        bump_version(group)
    group.save()
    if types is not None and "exchange_types" in changes:
        group.exchange_types.set(types)
    if changes:
        record_change(actor, "group.update", group, changes)
    return group


@transaction.atomic
def _secondary_ids(firm: Firm, industries: Iterable[Any]) -> list[int]:
    """The secondary industries as ids, without the main industry (it is the firm's first code)."""
    ids = {getattr(industry, "pk", industry) for industry in industries}
    return sorted(ids - {firm.industry_id})


def create_firm(*, actor: Any, **fields: Any) -> Firm:
    firm = Firm()
    secondary = fields.pop("secondary_industries", None)
    if "brn" in fields:
        fields["brn"] = normalize_brn(fields["brn"])
    _assign(firm, FIRM_FIELDS, fields)
    _full_clean(firm)
    firm.save()
    if secondary:
        firm.secondary_industries.set(_secondary_ids(firm, secondary))
    record_change(
        actor, "firm.create", firm, {k: v for k, v in fields.items() if k not in Firm.PERSONAL_FIELDS}
    )
    return firm


@transaction.atomic
def update_firm(firm: Firm, *, actor: Any, expected_version: int | None = None, **fields: Any) -> Firm:
    """Raises `StaleEdit` (code `stale`) when the firm changed after the form read `expected_version`."""
    lock_version(firm, expected_version)
    if "brn" in fields:
        fields["brn"] = normalize_brn(fields["brn"])
    moving = {
        name: fields[name] for name in FIRM_FIELDS if name in fields and getattr(firm, name) != fields[name]
    }
    try:
        rules.check_firm_change(actor, firm, moving)  # on the record as it is, before any field moves
    except rules.RuleViolation as refused:
        raise refused.keyed() from None
    secondary = fields.pop("secondary_industries", None)
    changes = _assign(firm, FIRM_FIELDS, fields)
    _full_clean(firm)
    if secondary is not None:
        old_ids = sorted(firm.secondary_industries.values_list("id", flat=True))
        new_ids = _secondary_ids(firm, secondary)
        if old_ids != new_ids:
            firm.secondary_industries.set(new_ids)
            changes["secondary_industries"] = [old_ids, new_ids]
    if changes:
        bump_version(firm)
    firm.save()
    if changes:
        # Personal data changes are recorded as changed, not with their values.
        for name in Firm.PERSONAL_FIELDS:
            if name in changes:
                changes[name] = ["***", "***"]
        record_change(actor, "firm.update", firm, changes)
    return firm


def validate_membership(
    group: ExchangeGroup,
    firm: Firm,
    *,
    role: str,
    joined_on: datetime.date,
    left_on: datetime.date | None,
    exclude_pk: int | None = None,
    today: datetime.date | None = None,
    name_holder: bool = True,
) -> None:
    """The rules of a membership period (`rules.membership_period_errors`) against the stored periods."""
    today = today or timezone.localdate()
    # Only periods that could overlap are read; the rule itself decides.
    overlapping = Q(joined_on__lt=left_on) if left_on else Q()
    if joined_on:
        overlapping &= Q(left_on__isnull=True) | Q(left_on__gt=joined_on)
    stored = Membership.objects.filter(group=group).filter(overlapping).select_related("firm")
    if exclude_pk:
        stored = stored.exclude(pk=exclude_pk)
    errors = rules.membership_period_errors(
        rules.Period(firm.pk, role, joined_on, left_on),
        founded_on=group.founded_on,
        others=[rules.Period(m.firm_id, m.role, m.joined_on, m.left_on, m.firm.name) for m in stored],
        today=today,
        name_holder=name_holder,
    )
    if errors:
        raise ValidationError(errors)


def lock_group(group: ExchangeGroup) -> None:
    """Serialise the writes of one group's memberships: the period rules span rows (one chair at a time,
    no overlapping periods), so two concurrent writers must not both validate before either saves.
    Every writer of memberships takes this row lock first, inside its transaction."""
    ExchangeGroup.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).get()


@transaction.atomic
def add_membership(
    group: ExchangeGroup,
    firm: Firm,
    *,
    actor: Any,
    joined_on: datetime.date,
    role: str = Membership.Role.MEMBER,
    left_on: datetime.date | None = None,
    consented: bool = False,
) -> Membership:
    """A firm joins a group. `consented`: the firm (or its federation) accepted a membership request, so
    the actor need not keep the group nor have the firm in scope (rules.check_membership_addition)."""
    try:
        rules.check_membership_addition(
            actor,
            group,
            firm_in_scope=rules.firm_in_scope(actor, firm),
            firm_federation_id=firm.federation_id,
            left_on=left_on,
            consented=consented,
        )
    except rules.RuleViolation as refused:
        raise refused.keyed() from None
    lock_group(group)
    validate_membership(
        group, firm, role=role, joined_on=joined_on, left_on=left_on, name_holder=not consented
    )
    membership = Membership(group=group, firm=firm, role=role, joined_on=joined_on, left_on=left_on)
    _full_clean(membership)
    membership.save()
    record_change(
        actor,
        "membership.create",
        membership,
        {"group": group.code, "firm": firm.brn, "role": role, "joined_on": joined_on, "left_on": left_on},
    )
    return membership


@transaction.atomic
def update_membership(
    membership: Membership, *, actor: Any, expected_version: int | None = None, **fields: Any
) -> Membership:
    """Raises `StaleEdit` (code `stale`) when the period changed after the form read `expected_version`."""
    try:
        rules.check_membership_change(
            actor,
            membership.group,
            firm_federation_id=membership.firm.federation_id,
            stored_left_on=membership.left_on,
        )
    except rules.RuleViolation as refused:
        raise refused.keyed() from None
    # Always the group first, then the membership: the same order as add_membership, so no deadlock.
    lock_group(membership.group)
    lock_version(membership, expected_version)
    values = {
        "role": fields.get("role", membership.role),
        "joined_on": fields.get("joined_on", membership.joined_on),
        "left_on": fields.get("left_on", membership.left_on),
    }
    validate_membership(membership.group, membership.firm, exclude_pk=membership.pk, **values)
    changes = _assign(membership, ("role", "joined_on", "left_on"), values)
    _full_clean(membership)
    if changes:
        bump_version(membership)
    membership.save()
    if changes:
        record_change(actor, "membership.update", membership, changes)
    return membership


def end_membership(membership: Membership, *, actor: Any, left_on: datetime.date) -> Membership:
    """A member leaves: the period is closed, never deleted, so past months still count them."""
    return update_membership(membership, actor=actor, left_on=left_on)
