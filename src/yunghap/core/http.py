"""Facts about the HTTP request that several apps need, computed in one place."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

# The status of a page that shows a submitted form again with its errors, on every form of the project
# (docs/decisions.md): 200, as Django's own views answer and as htmx swaps (it does not swap a 4xx). A
# request no page can answer (a bad parameter) stays a 400 (core.params, BadRequestMiddleware).
INVALID_FORM_STATUS = 200
# A request no page can answer: a filter value that cannot be right (shown on the page with its Korean
# message, the other values kept), a confirmation posted without its one-time token.
BAD_PARAMETER_STATUS = 400


def client_ip(request: Any) -> str | None:
    """The address of the client, not of the reverse proxy in front of us.

    With `TRUSTED_PROXY_COUNT = 0` (no proxy) it is REMOTE_ADDR and X-Forwarded-For is ignored: anyone can
    send that header. With N trusted proxies each appends the address it received the request from, so the
    N-th entry from the right was written by our outermost proxy and is the client; entries further left
    come from the client and are not trusted. A header shorter than N (the request bypassed a proxy) gives
    its leftmost entry; anything that is not an IP address falls back to REMOTE_ADDR.
    """
    meta = getattr(request, "META", {})
    remote = meta.get("REMOTE_ADDR") or None
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if not forwarded:
        return remote
    candidate = forwarded[-count] if len(forwarded) >= count else forwarded[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


def is_site_path(request: Any, url: str) -> bool:
    """A path of this site, safe to redirect to: not another host, and not a bare word (which `redirect()`
    would read as a view name)."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def next_url(request: Any, default: str) -> str:
    """Where to go after a form: the `next` it carries if that is a path of this site, else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    return wanted if is_site_path(request, wanted) else default
