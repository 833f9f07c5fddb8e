"""Writing the audit trail and the personal-data access log."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models

from .http import client_ip
from .models import AccessLog, AuditLog


def record_change(
    actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=_jsonable(changes or {}),
    )


def record_bulk_change(actor: Any, action: str, object_type: str, summary: dict[str, Any]) -> AuditLog:
    """One audit row for a bulk operation (an import) instead of one per row."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        changes=_jsonable(summary),
    )


def record_access(
    user: Any, kind: str, object_type: str, object_ids: Iterable[Any], request: Any = None
) -> AccessLog | None:
    """Log that `user` saw or downloaded personal data of these objects. Anonymous users never do."""
    if not getattr(user, "is_authenticated", False):
        return None
    ids = [str(i) for i in object_ids]
    if not ids:
        return None
    return AccessLog.objects.create(
        user=user,
        kind=kind,
        object_type=object_type,
        object_ids=ids[:1000],
        record_count=len(ids),
        path=(request.get_full_path()[:512] if request is not None else ""),
        ip_address=(client_ip(request) if request is not None else None),
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
