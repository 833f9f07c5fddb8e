"""`Authorization: Bearer TOKEN` for every API operation: the token's user becomes `request.user`, with their
current scope; a read-only token cannot write; each token has a request budget per minute."""

from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer

from yunghap.accounts.models import ApiToken
from yunghap.accounts.tokens import token_for

from .errors import error

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))


def spend_request(token: ApiToken) -> None:
    """Count one request against the token's budget for this minute; past it, 429 with Retry-After (the
    seconds until the next minute starts). A fixed window in the shared cache: every worker counts."""
    limit = settings.API_RATE_LIMIT_PER_MINUTE
    if limit <= 0:
        return
    now = time.time()
    window = int(now // 60)
    key = f"api:rate:{token.digest[:24]}:{window}"
    cache.add(key, 0, timeout=120)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        used = 1
    if used > limit:
        retry = max(1, int((window + 1) * 60 - now) + 1)
        raise error(429, "rate_limited", headers={"Retry-After": str(retry)})


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = token_for(token.strip(), client_address(request))
        if found is None:
            return None
        spend_request(found)
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        if request.method not in SAFE_METHODS and not found.can_write:
            raise error(403, "token_read_only")
        return found


def api_user(request: HttpRequest) -> Any:
    return request.user
