"""API tokens: made, checked and revoked here only (the API's authentication, the token pages and the
`yunghap token` command all call these).

A token is `yh_` and 43 URL-safe characters (256 bits): only its SHA-256 digest is stored, so a database
leak gives no usable token, and a lookup by digest is one indexed query. High-entropy tokens need no slow
hash (no dictionary to guess from)."""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from yunghap.core.audit import record_change

from .models import ApiToken

PREFIX = "yh_"


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    raw: str  # shown once, never stored


def create_token(
    user: Any,
    *,
    actor: Any,
    name: str = "",
    can_write: bool = False,
    expires_on: datetime.date | None = None,
    allowed_addresses: str = "",
) -> NewToken:
    raw = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            digest=digest_of(raw),
            can_write=can_write,
            expires_on=expires_on,
            allowed_addresses=allowed_addresses,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        record_change(
            actor,
            "api_token.create",
            token,
            {"user": user.get_username(), "can_write": can_write, "expires_on": expires_on},
        )
    return NewToken(token, raw)


def revoke_token(token: ApiToken, *, actor: Any) -> bool:
    """Revoke one token; False when it already was (a double click revokes once)."""
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            record_change(actor, "api_token.revoke", token, {"user": token.user.get_username()})
    return bool(updated)


def revoke_all(user: Any, *, actor: Any) -> int:
    count = 0
    for token in ApiToken.objects.filter(user=user, revoked_at__isnull=True):
        count += revoke_token(token, actor=actor)
    return count


def address_allowed(token: ApiToken, address: str) -> bool:
    allowed = token.address_list()
    if not allowed:
        return True
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for entry in allowed:
        try:
            if ip in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def validate_addresses(text: str) -> list[str]:
    """The entries of an allowed-addresses text that are not an IP address or a CIDR range."""
    bad = []
    for line in text.splitlines():
        entry = line.strip()
        if not entry:
            continue
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            bad.append(entry)
    return bad


def token_for(raw: str, address: str) -> ApiToken | None:
    """The usable token `raw` is, from this address; None for a missing, unknown, expired, revoked or
    foreign-address token (the API answers each with the same 401: no hint which)."""
    if not raw or not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(digest=digest_of(raw)).first()
    if token is None or not address_allowed(token, address):
        return None
    return token
