"""What the portal's public pages read: the home page's blocks, the key figures, search.

Everything public is read through the owning module's anonymous visibility (`visible_to(AnonymousUser())`
or `published()`), so the portal never shows more than those modules would show a visitor.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from .models import Kind, Post, PostQuerySet

FIGURES_TIMEOUT = 600
HOME_NOTICES = 6


def public_posts(kind: str) -> PostQuerySet:
    return Post.objects.published().of_kind(kind).select_related("category")


def home_notices() -> list[Post]:
    """Pinned notices first, then the latest, at most HOME_NOTICES."""
    return list(public_posts(Kind.NOTICE).listed()[:HOME_NOTICES])


def open_calls(limit: int = 5) -> list[Any]:
    """Published calls taking submissions now (`Call.is_open`), the nearest deadline first."""
    from yunghap.programmes.models import Call

    today = timezone.localdate()
    candidates = (
        Call.objects.visible_to(AnonymousUser())
        .filter(opens_on__lte=today, closes_on__gte=today)
        .only("code", "title", "opens_on", "closes_on", "published_at")
        .order_by("closes_on", "code")[: limit * 2]
    )
    return [call for call in candidates if call.is_open()][:limit]


def upcoming_events(limit: int = 5) -> list[Any]:
    """Public events (what a visitor may see) whose first session is still to come."""
    from yunghap.events.models import Event

    now = timezone.now()
    return list(
        Event.objects.visible_to(AnonymousUser())
        .annotate(first_start=Min("sessions__starts_at"))
        .filter(first_start__gte=now)
        .only("code", "title", "kind", "registration_closes")
        .order_by("first_start", "code")[:limit]
    )


def latest_stories(limit: int = 3) -> list[Any]:
    from yunghap.stories.models import SuccessStory

    return list(SuccessStory.objects.published().only("pk", "title", "summary", "published_at")[:limit])


def _compute_figures(today: Any) -> dict[str, int]:
    from yunghap.activities.models import Meeting, Outcome
    from yunghap.network.models import ExchangeGroup, Membership

    groups = ExchangeGroup.objects.aggregate(active=Count("pk", filter=Q(status=ExchangeGroup.Status.ACTIVE)))
    firms = Membership.objects.current(today).aggregate(firms=Count("firm_id", distinct=True))
    meetings = Meeting.objects.filter(held_on__year=today.year, held_on__lte=today).aggregate(
        count=Count("pk")
    )
    outcomes = Outcome.objects.aggregate(count=Count("pk"))
    return {
        "groups": groups["active"],
        "firms": firms["firms"],
        "meetings": meetings["count"],
        "outcomes": outcomes["count"],
    }


def key_figures() -> dict[str, int]:
    """Active groups, member firms today, meetings this year, results recorded: from the records by
    aggregate queries, kept ten minutes in the cache under today's date (a new day counts afresh)."""
    today = timezone.localdate()
    key = f"portal:figures:{today.isoformat()}"
    figures = cache.get(key)
    if figures is None:
        figures = _compute_figures(today)
        cache.set(key, figures, FIGURES_TIMEOUT)
    return dict(figures)


def search_posts(query: str, kind: str | None = None) -> QuerySet[Post]:
    posts = Post.objects.published().select_related("category")
    if kind:
        posts = posts.of_kind(kind)
    for word in query.split()[:8]:
        posts = posts.filter(Q(title__icontains=word) | Q(body__icontains=word))
    return posts.listed()
