"""`{% canonical_link %}` in the page shell: the page's absolute address without tracking parameters
(`portal.seo`). Nothing when the page is rendered without a request (the 500 and 503 pages)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from yunghap.portal.seo import canonical_url

register = template.Library()


@register.simple_tag(takes_context=True)
def canonical_link(context: Any) -> str:
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return ""
    return format_html('<link rel="canonical" href="{}">', canonical_url(request))
