"""Who may do what with the annual survey. Seeing answers is the queryset's job (`visible_to`)."""

from __future__ import annotations

from typing import Any

from yunghap.accounts.scope import scope_of
from yunghap.network.models import ExchangeGroup, Federation


def can_open_survey(user: Any) -> bool:
    return scope_of(user).central


def can_answer(user: Any, group: ExchangeGroup) -> bool:
    """A group's officers answer for it; central staff may correct any answer."""
    scope = scope_of(user)
    return scope.central or group.pk in scope.officer_group_ids


def can_follow_up(user: Any, federation: Federation | None = None) -> bool:
    """Who sees the answering status and sends reminders: central staff, and regional staff for their region."""
    scope = scope_of(user)
    if scope.central:
        return True
    if federation is None:
        return scope.regional
    return federation.pk in scope.region_ids


def can_reopen(user: Any, group: ExchangeGroup) -> bool:
    """Who may send a submitted answer back to the group's officers ("수정 요청"): central staff anywhere,
    regional staff for the groups of their federation."""
    scope = scope_of(user)
    return scope.central or group.federation_id in scope.region_ids


def can_import_answers(user: Any) -> bool:
    return scope_of(user).central
