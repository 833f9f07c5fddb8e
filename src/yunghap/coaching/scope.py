"""Who reaches which coaching records, from today's grants and memberships (architecture principle 10).

A coordinator's subjects are the groups they coordinate, the firms that are members of those groups today
(`Membership.giving_access`) and the consortia those firms lead: the same reach as
`programmes.coordination_services.coordinated_applications`. Regional staff reach the subjects of their
region; central staff everything.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from yunghap.accounts.scope import scope_of
from yunghap.network.models import ExchangeGroup, Firm, Membership
from yunghap.programmes.models import Consortium


def coordinated_firm_ids(group_ids: Any) -> Any:
    """The firms that are members (giving access today) of these groups, as a subquery of firm ids."""
    return Membership.objects.giving_access().filter(group_id__in=group_ids).values("firm_id")


def session_condition(user: Any) -> Q | None:
    """The filter of `CoachingSession.objects.visible_to` (None: everything)."""
    scope = scope_of(user)
    if scope.central:
        return None
    condition = Q(pk__in=[])
    if scope.region_ids:
        regions = scope.region_ids
        condition |= (
            Q(group__federation_id__in=regions)
            | Q(firm__federation_id__in=regions)
            | Q(consortium__lead__federation_id__in=regions)
        )
    if scope.coordinator_group_ids:
        condition |= coordinator_subjects(scope.coordinator_group_ids)
    return condition


def coordinator_subjects(group_ids: Any, prefix: str = "") -> Q:
    firms = coordinated_firm_ids(group_ids)
    return (
        Q(**{f"{prefix}group_id__in": group_ids})
        | Q(**{f"{prefix}firm_id__in": firms})
        | Q(**{f"{prefix}consortium__lead_id__in": firms})
    )


def is_coordinator(user: Any) -> bool:
    return bool(scope_of(user).coordinator_group_ids)


def reaches_caseload(user: Any) -> bool:
    """The caseload and the session list: coordinators and federation staff."""
    scope = scope_of(user)
    return bool(scope.staff or scope.coordinator_group_ids)


def groups_in_scope(user: Any) -> QuerySet[ExchangeGroup]:
    """Groups the caseload follows: a coordinator's own (also when they are staff), else a staff member's."""
    scope = scope_of(user)
    groups = ExchangeGroup.objects.filter(status=ExchangeGroup.Status.ACTIVE)
    if scope.coordinator_group_ids and not scope.central:
        condition = Q(pk__in=scope.coordinator_group_ids)
        if scope.region_ids:
            condition |= Q(federation_id__in=scope.region_ids)
        return groups.filter(condition)
    if scope.central:
        return groups
    return groups.filter(federation_id__in=scope.region_ids)


def consortia_in_scope(user: Any) -> QuerySet[Consortium]:
    scope = scope_of(user)
    if scope.central:
        return Consortium.objects.all()
    condition = Q(pk__in=[])
    if scope.region_ids:
        condition |= Q(lead__federation_id__in=scope.region_ids)
    if scope.coordinator_group_ids:
        condition |= Q(lead_id__in=coordinated_firm_ids(scope.coordinator_group_ids))
    return Consortium.objects.filter(condition)


def session_subjects(user: Any) -> tuple[QuerySet[ExchangeGroup], QuerySet[Consortium], QuerySet[Firm]]:
    """What a coordinator may log a session with (nothing for anyone else)."""
    groups = scope_of(user).coordinator_group_ids
    if not groups:
        return ExchangeGroup.objects.none(), Consortium.objects.none(), Firm.objects.none()
    firms = coordinated_firm_ids(groups)
    return (
        ExchangeGroup.objects.filter(pk__in=groups).order_by("name", "pk"),
        Consortium.objects.filter(lead_id__in=firms).select_related("call").order_by("-pk"),
        Firm.objects.filter(pk__in=firms, status=Firm.Status.ACTIVE).order_by("name", "pk"),
    )


def mentorship_condition(user: Any) -> Q | None:
    """The filter of `Mentorship.objects.visible_to` (None: everything)."""
    scope = scope_of(user)
    if scope.central:
        return None
    condition = Q(pk__in=[])
    if scope.region_ids:
        condition |= Q(senior__federation_id__in=scope.region_ids) | Q(
            junior__federation_id__in=scope.region_ids
        )
    if scope.coordinator_group_ids:
        firms = coordinated_firm_ids(scope.coordinator_group_ids)
        condition |= Q(senior_id__in=firms) | Q(junior_id__in=firms)
    if scope.firm_ids:
        condition |= Q(senior_id__in=scope.firm_ids) | Q(junior_id__in=scope.firm_ids)
    return condition


def manages_mentorship(user: Any, mentorship: Any) -> bool:
    """Staff and coordinators who reach one of the pair's firms through their federation role or groups (not
    as a firm's user)."""
    scope = scope_of(user)
    if scope.central:
        return True
    firm_ids = {mentorship.senior_id, mentorship.junior_id}
    if scope.region_ids and Firm.objects.filter(pk__in=firm_ids, federation_id__in=scope.region_ids).exists():
        return True
    if scope.coordinator_group_ids:
        return (
            Membership.objects.giving_access()
            .filter(group_id__in=scope.coordinator_group_ids, firm_id__in=firm_ids)
            .exists()
        )
    return False


def may_pair(user: Any, junior: Any) -> bool:
    """Who may propose a pair for this junior firm: central staff, its region's staff, its coordinators."""
    scope = scope_of(user)
    if scope.central:
        return True
    if junior.federation_id in scope.region_ids:
        return True
    if scope.coordinator_group_ids:
        return (
            Membership.objects.giving_access()
            .filter(group_id__in=scope.coordinator_group_ids, firm_id=junior.pk)
            .exists()
        )
    return False


def juniors_in_reach(user: Any) -> QuerySet[Firm]:
    """The firms a user may pair as the junior side."""
    scope = scope_of(user)
    firms = Firm.objects.filter(status=Firm.Status.ACTIVE)
    if scope.central:
        return firms
    condition = Q(pk__in=[])
    if scope.region_ids:
        condition |= Q(federation_id__in=scope.region_ids)
    if scope.coordinator_group_ids:
        condition |= Q(pk__in=coordinated_firm_ids(scope.coordinator_group_ids))
    return firms.filter(condition)
