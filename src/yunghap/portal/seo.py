"""Absolute addresses for canonical links, the sitemap and robots.txt.

`SITE_BASE_URL` (e.g. https://yunghap.example) names the site's public address when it sits behind a
proxy; empty, the request's own scheme and host are used. Canonical URLs drop tracking parameters
(utm_*, fbclid, gclid …) and keep the ones that change the page (q, category, page …).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings

TRACKING_PREFIXES = ("utm_",)
TRACKING_NAMES = {"fbclid", "gclid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid", "ref", "_ga"}


def base_url(request: Any = None) -> str:
    configured = str(getattr(settings, "SITE_BASE_URL", "") or "").rstrip("/")
    if configured:
        return configured
    if request is None:
        return ""
    return f"{request.scheme}://{request.get_host()}"


def absolute(request: Any, path: str) -> str:
    return base_url(request) + path


def canonical_url(request: Any) -> str:
    if request is None:
        return ""
    kept = [
        (name, value)
        for name, value in request.GET.items()
        if name not in TRACKING_NAMES and not name.startswith(TRACKING_PREFIXES) and value != ""
    ]
    query = urlencode(sorted(kept))
    return absolute(request, request.path) + (f"?{query}" if query else "")
