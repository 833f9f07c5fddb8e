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


SITEMAPS: dict[str, type[Sitemap]] = {  # type: ignore[type-arg]
    "portal": PortalPagesSitemap,
    "posts": PostSitemap,
    "stories": StorySitemap,
    "events": EventSitemap,
}
KINDS = Kind
