"""`/sitemap.xml`: SITEMAPS is the registry; other modules' public pages are added by name:

    from yunghap.portal.sitemaps import SITEMAPS
    SITEMAPS["directory"] = DirectorySitemap

(a plain dict, read when the sitemap is requested; the portal, notices, library, public stories and
events are registered here).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Kind, Post


class PortalPagesSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "daily"
    priority = 0.8

    def items(self) -> list[str]:
        return [
            "portal:home",
            "portal:notice_list",
            "portal:library_list",
            "portal:terms",
            "stories:public_list",
            "events:calendar",
            "public_programmes:call_list",
            "public_programmes:topic_list",
            "directory:group_list",
            "directory:firm_list",
            "proposals:list",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class PostSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    priority = 0.6
    limit = 5000

    def items(self) -> Any:
        return Post.objects.published().only("pk", "kind", "updated_at").order_by("-publish_at", "-id")

    def lastmod(self, item: Post) -> Any:
        return item.updated_at


class StorySitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> Any:
        from yunghap.stories.models import SuccessStory

        return SuccessStory.objects.published().only("pk").order_by("-published_at", "-id")

    def location(self, item: Any) -> str:
        return reverse("stories:public_detail", args=[item.pk])


class EventSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    priority = 0.5

    def items(self) -> Any:
        from yunghap.events.models import Event

        return (
            Event.objects.visible_to(AnonymousUser())
            .only("code")
            .order_by("-registration_opens", "code")[:1000]
        )

    def location(self, item: Any) -> str:
        return reverse("events:event_detail", args=[item.code])


class CallSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    priority = 0.7

    def items(self) -> Any:
        from yunghap.programmes.public_views import published_calls

        return published_calls().only("code").order_by("-published_at", "code")

    def location(self, item: Any) -> str:
        return reverse("public_programmes:call_detail", args=[item.code])


class TopicSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "monthly"
    priority = 0.5

    def items(self) -> Any:
        from yunghap.programmes.discovery import public_topics

        return public_topics().only("code").order_by("code")

    def location(self, item: Any) -> str:
        return reverse("public_programmes:topic_detail", args=[item.code])


class DirectorySitemap(Sitemap):  # type: ignore[type-arg]
    """Exchange groups and the firms that consented to be listed (their public cards only)."""

    changefreq = "weekly"
    priority = 0.4
    limit = 5000

    def items(self) -> list[tuple[str, str]]:
        from yunghap.network import public_fields

        groups = public_fields.listed_groups().order_by("code").values_list("code", flat=True)
        firms = (
            public_fields.listed_firms()
            .order_by("listing__public_id")
            .values_list("listing__public_id", flat=True)
        )
        return [("directory:group_detail", code) for code in groups] + [
            ("directory:firm_detail", public_id) for public_id in firms
        ]

    def location(self, item: tuple[str, str]) -> str:
        name, value = item
        return reverse(name, args=[value])


class ProposalSitemap(Sitemap):  # type: ignore[type-arg]
    changefreq = "weekly"
    priority = 0.4

    def items(self) -> Any:
        from yunghap.proposals.models import PolicyProposal

        return PolicyProposal.objects.public().only("pk").order_by("-pk")[:5000]

    def location(self, item: Any) -> str:
        return reverse("proposals:detail", args=[item.pk])


SITEMAPS: dict[str, type[Sitemap]] = {  # type: ignore[type-arg]
    "portal": PortalPagesSitemap,
    "posts": PostSitemap,
    "stories": StorySitemap,
    "events": EventSitemap,
    "calls": CallSitemap,
    "topics": TopicSitemap,
    "directory": DirectorySitemap,
    "proposals": ProposalSitemap,
}
KINDS = Kind
