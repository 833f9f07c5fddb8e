"""Safe caching of the portal's public pages (`@public_page(timeout)`).

Only anonymous visitors are ever served or stored a cached copy, and only when they have no messages
waiting: a signed-in user's page is never stored (it holds their name and menu) and they never get the
anonymous copy. The key is the host, the full path with its query, the language and a generation that the
portal's services bump after every committed change (`forget_public_pages`), so a new notice shows at once;
the copy also expires after `timeout` (at most five minutes) and before the next scheduled post goes public.

CSRF: the pages carry the language switch, a POST form. The copy is stored with the visitor's token
replaced by a sentinel, and every visitor served from the cache gets their own token put back in
(`get_token`, which also sets their CSRF cookie), so no visitor ever receives another's token.

Headers: `Vary: Cookie, Accept-Language` always. Signed-in pages: `private, no-cache, no-store`. Anonymous
pages that carry a visitor's token are `private, max-age=…` (a shared cache must not hand one visitor's
CSRF cookie to another); token-free responses (the feed, the sitemap, robots.txt) are `public, max-age=…`.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control, patch_vary_headers
from django.utils.translation import get_language

MAX_TIMEOUT = 300
GENERATION_KEY = "portal:public:generation"
SENTINEL = "__PORTAL_CSRF_TOKEN__"
_TOKEN_INPUT = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{32,64})"')


def generation() -> int:
    return int(cache.get(GENERATION_KEY) or 0)


def forget_public_pages() -> None:
    """Every cached public page is stale: called by the services after commit."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, generation() + 1, None)


def _cacheable(request: HttpRequest) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.user.is_authenticated:
        return False
    if "messages" in request.COOKIES:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        # A visitor with a session may have messages stored there.
        return not request.session.get("_messages")
    return True


def page_key(request: HttpRequest) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{get_language()}|{bool(getattr(request, 'htmx', False))}"
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    return f"portal:public:{generation()}:{digest}"


def _seconds_to_next_publication(timeout: int) -> int:
    from .models import Post

    now = timezone.now()
    upcoming = (
        Post.objects.filter(publish_at__gt=now, publish_at__lte=now + datetime.timedelta(seconds=timeout))
        .order_by("publish_at")
        .values_list("publish_at", flat=True)
        .first()
    )
    if upcoming is None:
        return timeout
    return max(1, int((upcoming - now).total_seconds()))


def _anonymous_headers(response: HttpResponse, timeout: int, has_token: bool) -> None:
    if has_token:
        patch_cache_control(response, private=True, max_age=min(timeout, 60))
    else:
        patch_cache_control(response, public=True, max_age=timeout)


def _freeze(response: HttpResponse) -> tuple[bytes, bool]:
    """The response's body with the visitor's CSRF token replaced by the sentinel."""
    content = bytes(response.content)
    found = _TOKEN_INPUT.search(content)
    if not found:
        return content, False
    return content.replace(found.group(1), SENTINEL.encode()), True


def public_page(timeout: int = 120) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    timeout = min(timeout, MAX_TIMEOUT)

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not _cacheable(request):
                response = view(request, *args, **kwargs)
                patch_vary_headers(response, ("Cookie", "Accept-Language"))
                if request.user.is_authenticated:
                    add_never_cache_headers(response)
                return response
            key = page_key(request)
            stored = cache.get(key)
            if stored is not None:
                content, content_type, has_token = stored
                if has_token:
                    content = content.replace(SENTINEL.encode(), get_token(request).encode())
                response = HttpResponse(content, content_type=content_type)
                response["X-Portal-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response.render()
                storable = (
                    response.status_code == 200
                    and not response.streaming
                    and not response.cookies
                    and not (hasattr(request, "session") and request.session.modified)
                )
                has_token = False
                if storable:
                    content, has_token = _freeze(response)
                    lifetime = _seconds_to_next_publication(timeout)
                    cache.set(key, (content, response.get("Content-Type", "text/html"), has_token), lifetime)
                    response["X-Portal-Cache"] = "miss"
                else:
                    has_token = (
                        bool(_TOKEN_INPUT.search(bytes(response.content)))
                        if not response.streaming
                        else False
                    )
            _anonymous_headers(response, timeout, has_token)
            patch_vary_headers(response, ("Cookie", "Accept-Language"))
            return response

        return wrapped

    return decorator
