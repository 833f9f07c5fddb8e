"""The notice feed (RSS 2.0), `/notices/feed.xml`: the 30 newest published notices."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import Kind, Post

FEED_ITEMS = 30


class NoticeFeed(Feed):  # type: ignore[type-arg]
    title = _("융합 이업종교류 정보망 공지사항")
    description = _("중소기업 이업종교류연합회의 공지사항")

    def link(self) -> str:
        return reverse("portal:notice_list")

    def items(self) -> list[Post]:
        return list(Post.objects.published().of_kind(Kind.NOTICE).order_by("-publish_at", "-id")[:FEED_ITEMS])

    def item_title(self, item: Post) -> str:
        return item.title

    def item_description(self, item: Post) -> str:
        # Plain text: the feed framework escapes it.
        return item.body[:500]

    def item_link(self, item: Post) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Post) -> datetime.datetime:
        return item.publish_at

    def item_categories(self, item: Post) -> list[Any]:
        return [item.category.name] if item.category_id and item.category else []
