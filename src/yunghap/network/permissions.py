"""Who may change what in the registry, and who sees personal data unmasked.

Visibility (404) is the querysets' job (`visible_to`); these functions decide, for an object the user
can already see, whether they may change it (403 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yunghap.accounts.scope import scope_of

from . import rules
from .models import ExchangeGroup, Federation, Firm, Membership


def can_create_group(user: Any, federation: Federation | None = None) -> bool:
    scope = scope_of(user)
    if scope.central:
        return True
    if federation is None:
        return scope.regional
    return federation.pk in scope.region_ids


def can_edit_group(user: Any, group: ExchangeGroup) -> bool:
    scope = scope_of(user)
    return scope.central or group.federation_id in scope.region_ids or group.pk in scope.officer_group_ids


def can_manage_memberships(user: Any, group: ExchangeGroup) -> bool:
    """Officers keep their own group's member list; federation staff keep their region's."""
    return can_edit_group(user, group)


def can_change_membership(user: Any, membership: Membership) -> bool:
    """Whether the edit page of this period is offered (403 otherwise). A period that has ended is changed
    only by staff of the firm's own federation or central staff (rule 2, `rules.check_membership_change`,
    which the service enforces again); a current one by whoever keeps the member list."""
    return can_change_period(
        user, membership.group, left_on=membership.left_on, firm_federation_id=membership.firm.federation_id
    )


def can_change_period(user: Any, group: ExchangeGroup, *, left_on: Any, firm_federation_id: int) -> bool:
    """`can_change_membership` from plain values (the group page's rows are not model instances)."""
    return can_manage_memberships(user, group) and (
        left_on is None or rules.may_record_ended_period(user, firm_federation_id)
    )


def can_create_firm(user: Any) -> bool:
    """Staff register firms; a group officer registers a new member's firm when adding it to the group."""
    scope = scope_of(user)
    return scope.staff or bool(scope.officer_group_ids)


def can_edit_firm(user: Any, firm: Firm) -> bool:
    """The firm's own federation staff and central staff keep a firm's record; its own users its profile.

    Staff of another region where the firm is a member do not: membership gives them its contacts, not
    its record (what a firm user may change is `rules.check_firm_change`).
    """
    scope = scope_of(user)
    return scope.central or firm.pk in scope.firm_ids or firm.federation_id in scope.region_ids


def can_see_personal_data(user: Any, firm: Firm) -> bool:
    """Representative, phone, e-mail: for the firm itself, its federation staff, and the staff and
    officers of the groups it belongs to *now* (a firm that left is no longer theirs to contact)."""
    scope = scope_of(user)
    if scope.central or firm.pk in scope.firm_ids or firm.federation_id in scope.region_ids:
        return True
    if not (scope.region_ids or scope.officer_group_ids):
        return False
    return (
        Membership.objects.giving_access()
        .filter(firm=firm)
        .filter(Q(group__federation_id__in=scope.region_ids) | Q(group_id__in=scope.officer_group_ids))
        .exists()
    )


def can_see_members_personal_data(user: Any, group: ExchangeGroup) -> bool:
    """On a group's member list: those who keep the list see its members' contacts."""
    return can_manage_memberships(user, group)


def can_transfer_data(user: Any) -> bool:
    """Spreadsheet import and export of the registry: central and regional staff."""
    return scope_of(user).staff
