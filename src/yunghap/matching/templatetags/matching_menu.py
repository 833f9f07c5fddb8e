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
    from yunghap.accounts.otp import is_verified, second_factor_required

    user = getattr(context.get("request"), "user", None)
    if user is not None and second_factor_required(user) and not is_verified(user):
        return False  # staff still to give their second factor see only the code page
    return review.may_review_any(user)
