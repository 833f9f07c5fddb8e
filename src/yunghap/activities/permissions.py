"""Who may write a group's ledger. Seeing it is the querysets' job (`visible_to`, 404 otherwise)."""

from __future__ import annotations

from typing import Any

from yunghap.accounts.scope import scope_of
from yunghap.network.models import ExchangeGroup


def can_record(user: Any, group: ExchangeGroup) -> bool:
    """Officers record their own group's ledger, regional staff their region's groups, central staff all."""
    scope = scope_of(user)
    return scope.central or group.federation_id in scope.region_ids or group.pk in scope.officer_group_ids


def can_import_ledger(user: Any) -> bool:
    """Spreadsheet import of the ledger crosses groups, so it is for federation staff."""
    return scope_of(user).staff
