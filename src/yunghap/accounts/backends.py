"""Central staff hold every model permission of the admin through their role grant, not per-permission rows."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import BaseBackend

from .scope import scope_of


class RoleGrantBackend(BaseBackend):
    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        return bool(user_obj.is_active and scope_of(user_obj).central)

    def has_module_perms(self, user_obj: Any, app_label: str) -> bool:
        return bool(user_obj.is_active and scope_of(user_obj).central)
