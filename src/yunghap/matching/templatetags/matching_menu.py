"""Main-menu entries of the matching app: the review queue for those who have one.

Its count comes from `matching:review_count` once the page has loaded (htmx), so that no page pays a query
for a number in its menu.
"""

from __future__ import annotations

from typing import Any

from django import template

from yunghap.matching import review

register = template.Library()


@register.simple_tag(takes_context=True)
def has_review_queue(context: Any) -> bool:
    request = context.get("request")
    return review.may_review_any(getattr(request, "user", None))
