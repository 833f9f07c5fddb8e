"""Who manages the portal: central staff only (docs/decisions.md, "Portal notices").

The portal is the central federation's homepage: what it announces speaks for the whole federation, so
regional staff do not publish there (their events and calls reach the portal from their own modules).
"""

from __future__ import annotations

from typing import Any

from yunghap.accounts.scope import scope_of


def may_manage(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and scope_of(user).central)
