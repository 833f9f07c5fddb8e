"""What a user may reach: their grants, read once per request and kept on the user object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

from .models import Role


@dataclass(frozen=True)
class Scope:
    authenticated: bool = False
    central: bool = False
    reviewer: bool = False
    region_ids: frozenset[int] = field(default_factory=frozenset)
    officer_group_ids: frozenset[int] = field(default_factory=frozenset)
    coordinator_group_ids: frozenset[int] = field(default_factory=frozenset)
    firm_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def regional(self) -> bool:
        return bool(self.region_ids)

    @property
    def staff(self) -> bool:
        """Central or regional federation staff: the people who keep the registry."""
        return self.central or self.regional

    @property
    def has_network_access(self) -> bool:
        return bool(
            self.central
            or self.region_ids
            or self.officer_group_ids
            or self.coordinator_group_ids
            or self.firm_ids
        )

    @property
    def roles(self) -> list[str]:
        roles: list[str] = []
        if self.central:
            roles.append(Role.CENTRAL_STAFF)
        if self.region_ids:
            roles.append(Role.REGIONAL_STAFF)
        if self.officer_group_ids:
            roles.append(Role.GROUP_OFFICER)
        if self.firm_ids:
            roles.append(Role.FIRM_USER)
        if self.coordinator_group_ids:
            roles.append(Role.COORDINATOR)
        if self.reviewer:
            roles.append(Role.REVIEWER)
        return roles


ANONYMOUS = Scope()


def scope_of(user: Any) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_yunghap_scope", None)
    if cached is not None:
        return cast(Scope, cached)
    central = bool(user.is_superuser)
    reviewer = False
    regions: set[int] = set()
    officer: set[int] = set()
    coordinator: set[int] = set()
    firms: set[int] = set()
    for role, federation_id, group_id, firm_id in user.grants.values_list(
        "role", "federation_id", "group_id", "firm_id"
    ):
        if role == Role.CENTRAL_STAFF:
            central = True
        elif role == Role.REGIONAL_STAFF and federation_id:
            regions.add(federation_id)
        elif role == Role.GROUP_OFFICER and group_id:
            officer.add(group_id)
        elif role == Role.COORDINATOR and group_id:
            coordinator.add(group_id)
        elif role == Role.FIRM_USER and firm_id:
            firms.add(firm_id)
        elif role == Role.REVIEWER:
            reviewer = True
    scope = Scope(
        authenticated=True,
        central=central,
        reviewer=reviewer,
        region_ids=frozenset(regions),
        officer_group_ids=frozenset(officer),
        coordinator_group_ids=frozenset(coordinator),
        firm_ids=frozenset(firms),
    )
    user._yunghap_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """After grants change (tests, admin), the next call reads them again."""
    if hasattr(user, "_yunghap_scope"):
        del user._yunghap_scope
