"""Who reviews a posting (게시글 검토 담당): one rule, used by the notification, the queue, the permission
check and the menu.

A posting is reviewed by the coordinators of its firm's current groups. When no active coordinator covers
the firm, review falls to the regional staff of the firm's federation, and when that federation has no
active staff either, to central staff. Central staff may review any posting (they oversee all), but they
are asked (notified) only for those that fall to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from yunghap.accounts.models import Role, RoleGrant, User
from yunghap.accounts.scope import scope_of
from yunghap.network.models import Firm, Membership

from .models import Posting

COORDINATOR = "coordinator"
REGIONAL = "regional"
CENTRAL = "central"
LEVEL_LABELS = {
    COORDINATOR: _("담당 코디네이터"),
    REGIONAL: _("지역연합회 (코디네이터 없음)"),
    CENTRAL: _("중앙회 (코디네이터·지역 담당자 없음)"),
}


def coordinated_group_ids() -> QuerySet[RoleGrant, Any]:
    """Groups with at least one active coordinator."""
    return RoleGrant.objects.filter(role=Role.COORDINATOR, group__isnull=False, user__is_active=True).values(
        "group_id"
    )


def covered_firm_ids(group_ids: Any = None) -> QuerySet[Membership, Any]:
    """Firms that are current members of a coordinated group (of `group_ids`, when given)."""
    groups = coordinated_group_ids() if group_ids is None else group_ids
    return Membership.objects.current().filter(group_id__in=groups).values("firm_id")


def staffed_federation_ids() -> QuerySet[RoleGrant, Any]:
    return RoleGrant.objects.filter(
        role=Role.REGIONAL_STAFF, federation__isnull=False, user__is_active=True
    ).values("federation_id")


def firm_users(firm_ids: Iterable[int]) -> list[User]:
    """The active users of these firms (who hear about their postings and introductions)."""
    return list(
        User.objects.filter(
            is_active=True, grants__role=Role.FIRM_USER, grants__firm_id__in=list(firm_ids)
        ).distinct()
    )


def review_level(firm: Firm) -> str:
    """Which of the three levels reviews this firm's postings today."""
    if Membership.objects.current().filter(firm=firm, group_id__in=coordinated_group_ids()).exists():
        return COORDINATOR
    if firm.federation_id and staffed_federation_ids().filter(federation_id=firm.federation_id).exists():
        return REGIONAL
    return CENTRAL


def responsible_users(firm: Firm) -> QuerySet[User]:
    """Who looks after this firm's matching requests (its postings' review, its introduction requests):
    those of the first level that has anyone."""
    level = review_level(firm)
    active = User.objects.filter(is_active=True)
    if level == COORDINATOR:
        groups = Membership.objects.current().filter(firm=firm).values("group_id")
        users = active.filter(grants__role=Role.COORDINATOR, grants__group_id__in=groups)
    elif level == REGIONAL:
        users = active.filter(grants__role=Role.REGIONAL_STAFF, grants__federation_id=firm.federation_id)
    else:
        users = active.filter(Q(grants__role=Role.CENTRAL_STAFF) | Q(is_superuser=True))
    return users.distinct()


def reviewers_of(posting: Posting) -> QuerySet[User]:
    """The people asked to review this posting."""
    return responsible_users(posting.firm)


def handled_firms(user: Any) -> Q:
    """A filter on postings (`firm_id`) of the firms this user looks
    after: a coordinator the members of their groups; regional staff their region's firms no coordinator
    covers; central staff every firm (they oversee all, though they are only asked for the uncovered)."""
    return handled_firms_on("firm_id", user)


def handled_firms_on(field: str, user: Any) -> Q:
    scope = scope_of(user)
    if scope.central:
        # Not an empty Q(): or-ed with another condition, an empty Q() would vanish.
        return Q(**{f"{field}__isnull": False})
    condition = Q(pk__in=[])
    if scope.coordinator_group_ids:
        condition |= Q(**{f"{field}__in": covered_firm_ids(scope.coordinator_group_ids)})
    if scope.region_ids:
        prefix = "" if field == "id" else field.removesuffix("_id") + "__"
        federation = prefix + "federation_id__in"
        condition |= Q(**{federation: scope.region_ids}) & ~Q(**{f"{field}__in": covered_firm_ids()})
    return condition


def handles_firm(user: Any, firm_id: int) -> bool:
    """Whether this user looks after the firm (reviews its postings, introduces it on request)."""
    return may_review_any(user) and Firm.objects.filter(handled_firms_on("id", user), pk=firm_id).exists()


def reviewable_postings(user: Any) -> QuerySet[Posting]:
    """Postings this user may review (the queue and the permission check both use it)."""
    if not may_review_any(user):
        return Posting.objects.none()
    return Posting.objects.filter(handled_firms(user))


def may_review_any(user: Any) -> bool:
    """Whether the user has a review queue at all (the menu entry, the queue page)."""
    scope = scope_of(user)
    return bool(scope.central or scope.coordinator_group_ids or scope.region_ids)


def can_review(user: Any, posting: Posting) -> bool:
    return reviewable_postings(user).filter(pk=posting.pk).exists()


def pending_for(user: Any) -> QuerySet[Posting]:
    """The review queue: pending, not withdrawn, oldest first."""
    return (
        reviewable_postings(user)
        .filter(review_status=Posting.ReviewStatus.PENDING, closed_at__isnull=True)
        .order_by("created_at", "id")
    )


def label_levels(postings: list[Posting]) -> list[Posting]:
    """Set `review_level` / `review_level_label` on each posting, in two queries for the whole list."""
    firm_ids = {p.firm_id for p in postings}
    covered = set(covered_firm_ids().filter(firm_id__in=firm_ids).values_list("firm_id", flat=True))
    staffed = set(staffed_federation_ids().values_list("federation_id", flat=True))
    for posting in postings:
        if posting.firm_id in covered:
            level = COORDINATOR
        elif posting.firm.federation_id in staffed:
            level = REGIONAL
        else:
            level = CENTRAL
        posting.review_level = level  # type: ignore[attr-defined]
        posting.review_level_label = LEVEL_LABELS[level]  # type: ignore[attr-defined]
    return postings
