"""Who sees and who runs which events and registrations, from today's grants and memberships
(architecture principles 2 and 10). The querysets `Event.objects.visible_to` / `managed_by` and
`Registration.objects.visible_to` call these conditions; nothing else decides it.

Seeing an event (its page, the calendar, the feeds):
- events for everyone or for member firms are announced publicly: anybody, also signed out;
- a region's events: that region's staff, the officers and coordinators of its groups, and the users of
  firms of that region (registered there, or a current member of one of its groups);
- a group's events: the group's officer and coordinator, the users of its current member firms and the
  staff of its region;
- a consortium's events: the users of its lead and accepted member firms and the staff of the lead's
  region;
- always: central staff, the event's managers, and whoever holds or made a registration for it.

Running an event (edit, sessions, participants, check-in): central staff any event; regional staff the
events their federation organises; a coordinator the events they created, for the federation of a group
they coordinate (`may_create_for`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from yunghap.accounts.scope import scope_of
from yunghap.network.models import ExchangeGroup, Membership


def coordinator_federation_ids(user: Any) -> set[int]:
    """The federations of the groups a coordinator coordinates today."""
    groups = scope_of(user).coordinator_group_ids
    if not groups:
        return set()
    return set(ExchangeGroup.objects.filter(pk__in=groups).values_list("federation_id", flat=True))


def may_create_for(user: Any, organiser_id: int | None) -> bool:
    """May `user` create an event organised by this federation (None: a national, central event)?"""
    scope = scope_of(user)
    if scope.central:
        return True
    if organiser_id is None:
        return False
    return organiser_id in scope.region_ids or organiser_id in coordinator_federation_ids(user)


def may_create_events(user: Any) -> bool:
    scope = scope_of(user)
    return bool(scope.staff or scope.coordinator_group_ids)


def managed_condition(user: Any) -> Q | None:
    """The filter of `Event.objects.managed_by` (None: every event)."""
    scope = scope_of(user)
    if scope.central:
        return None
    condition = Q(pk__in=[])
    if scope.region_ids:
        condition |= Q(organiser_id__in=scope.region_ids)
    if scope.coordinator_group_ids:
        condition |= Q(created_by_id=user.pk, organiser_id__in=coordinator_federation_ids(user))
    return condition


def visible_condition(user: Any) -> Q | None:
    """The filter of `Event.objects.visible_to` (None: every event)."""
    scope = scope_of(user)
    if scope.central:
        return None
    public = Q(audience__in=["everyone", "members"])
    if not scope.authenticated:
        return public
    condition = public | Q(registrations__user_id=user.pk) | Q(registrations__registered_by_id=user.pk)
    managed = managed_condition(user)
    if managed is not None:
        condition |= managed
    firm_ids = scope.firm_ids
    member_groups = Membership.objects.giving_access().filter(firm_id__in=firm_ids).values("group_id")
    group_ids = set(scope.officer_group_ids) | set(scope.coordinator_group_ids)
    region_ids = set(scope.region_ids)
    if group_ids:
        region_ids |= set(
            ExchangeGroup.objects.filter(pk__in=group_ids).values_list("federation_id", flat=True)
        )
    condition |= Q(audience="region", audience_region_id__in=region_ids)
    condition |= Q(audience="group", audience_group_id__in=group_ids)
    condition |= Q(audience="group", audience_group__federation_id__in=scope.region_ids)
    condition |= Q(audience="consortium", audience_consortium__lead__federation_id__in=scope.region_ids)
    if firm_ids:
        condition |= Q(audience="region", audience_region__firms__id__in=firm_ids)
        condition |= Q(
            audience="region",
            audience_region_id__in=ExchangeGroup.objects.filter(pk__in=member_groups).values("federation_id"),
        )
        condition |= Q(audience="group", audience_group_id__in=member_groups)
        condition |= Q(audience="consortium", audience_consortium__lead_id__in=firm_ids)
        condition |= Q(
            audience="consortium",
            audience_consortium__members__firm_id__in=firm_ids,
            audience_consortium__members__state="accepted",
        )
    return condition


def registration_condition(user: Any) -> Q | None:
    """The filter of `Registration.objects.visible_to` (None: all): the person, whoever registered them,
    the users of their firm, and the managers of the event. Personal data shown through it is masked for
    those who do not need it (`events` pages use `core.masking`)."""
    scope = scope_of(user)
    if scope.central:
        return None
    if not scope.authenticated:
        return Q(pk__in=[])
    condition = Q(user_id=user.pk) | Q(registered_by_id=user.pk)
    if scope.firm_ids:
        condition |= Q(firm_id__in=scope.firm_ids)
    managed = managed_condition(user)
    if managed is not None:
        condition |= Q(event__in=_managed_ids(managed))
    return condition


def _managed_ids(condition: Q) -> Any:
    from .models import Event

    return Event.objects.filter(condition).values("pk")
