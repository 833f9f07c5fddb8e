"""A per-user cache of whole list pages, for the registry lists that are read far more than changed.

The group list must serve within a factor of three of a bare one-query page; rendering it (filter bar,
25 rows, header) costs far more than that, so a repeated view of the same list is served from the cache.

Correctness rests on the key, not on expiry:
- who: the user, their scope (role grants) and name, so nobody sees a page built for someone else's scope;
- what: the full path with its query string, the language, whether htmx asked for the fragment, today's
  date (current members depend on it);
- the data: the id of the newest audit row. Every change to the registry goes through a service that
  writes one (imports write one per file), so any change anywhere gives new keys in every worker, whatever
  the cache backend. Admin edits write no audit row; the signal handlers below drop this process's pages
  and the short expiry bounds what other processes show.
- the CSRF cookie, so the forms on a cached page (language switcher, logout) carry a token valid for
  this browser. Requests without the cookie, or with messages to show, are never cached or served.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Max
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from yunghap.accounts.scope import scope_of
from yunghap.core.models import AuditLog

from .models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, Membership

TIMEOUT = 60
_GENERATION_KEY = "network:pagecache:generation"


def _generation() -> int:
    return int(cache.get(_GENERATION_KEY, 0))


def forget_pages(**_kwargs: Any) -> None:
    try:
        cache.incr(_GENERATION_KEY)
    except ValueError:
        cache.set(_GENERATION_KEY, 1, None)


def connect_signals() -> None:
    """Called by `NetworkConfig.ready()`: any write to what the cached pages show drops them."""
    for model in (ExchangeGroup, Firm, Membership, Federation, ExchangeType, Industry):
        post_save.connect(forget_pages, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(forget_pages, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
    m2m_changed.connect(
        forget_pages, sender=ExchangeGroup.exchange_types.through, dispatch_uid="pagecache-group-types"
    )


def wants_fragment(request: HttpRequest) -> bool:
    """htmx asks for the results only; a history restore (Back button) needs the whole page."""
    htmx = getattr(request, "htmx", None)
    if not htmx:
        return False
    return not htmx.history_restore_request


def _cacheable(request: HttpRequest) -> bool:
    if request.method != "GET" or not request.user.is_authenticated:
        return False
    if settings.CSRF_COOKIE_NAME not in request.COOKIES:
        return False
    return "messages" not in request.COOKIES and not request.session.get("_messages")


def _key(request: HttpRequest) -> str:
    user: Any = request.user
    data_version = AuditLog.objects.aggregate(latest=Max("id"))["latest"] or 0
    parts = [
        str(user.pk),
        user.get_username(),
        user.get_full_name(),
        repr(scope_of(user)),
        request.get_full_path(),
        get_language() or "",
        "fragment" if wants_fragment(request) else "page",
        timezone.localdate().isoformat(),
        str(data_version),
        str(_generation()),
        request.COOKIES.get(settings.CSRF_COOKIE_NAME, ""),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"network:page:{digest}"


def cached_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a GET page from the cache when nothing in its key has changed; only 200 pages are kept."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = _key(request)
        hit = cache.get(key)
        if hit is not None:
            content, content_type = hit
            response = HttpResponse(content, content_type=content_type)
            response["Cache-Control"] = "private, no-store"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), TIMEOUT)
        response["Cache-Control"] = "private, no-store"
        return response

    return wrapper
