"""Writing the audit trail and the personal-data access log."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .http import client_ip
from .models import AccessLog, AccessLogTarget, AuditLog

# Rows per INSERT when an export logs tens of thousands of ids.
TARGET_BATCH = 5000


def record_change(
    actor: Any, action: str, obj: models.Model, changes: dict[str, Any] | None = None
) -> AuditLog:
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:255],
        changes=jsonable(changes or {}),
    )


def record_bulk_change(actor: Any, action: str, object_type: str, summary: dict[str, Any]) -> AuditLog:
    """One audit row for a bulk operation (an import) instead of one per row."""
    return AuditLog.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=object_type,
        changes=jsonable(summary),
    )


def record_access(
    user: Any, kind: str, object_type: str, object_ids: Iterable[Any], request: Any = None
) -> AccessLog | None:
    """Log that `user` saw or downloaded personal data of these objects, every id of them (no cap: a log
    that stops at 1,000 cannot answer "who saw this firm"). Anonymous users never do."""
    if not getattr(user, "is_authenticated", False):
        return None
    ids = list(dict.fromkeys(str(i) for i in object_ids))
    if not ids:
        return None
    return _write_access_log(user, kind, object_type, ids, request)


def _write_access_log(user: Any, kind: str, object_type: str, ids: list[str], request: Any) -> AccessLog:
    connection = transaction.get_connection()
    outermost = not connection.in_atomic_block
    if connection.vendor == "postgresql":
        return _insert_access_log_postgresql(user, kind, object_type, ids, request, asynchronous=outermost)
    # No savepoint inside a caller's transaction: the log row and its targets stand or fall together.
    with transaction.atomic(savepoint=False):
        log = _create_access_log(user, kind, object_type, ids, request)
        AccessLogTarget.objects.bulk_create(
            (AccessLogTarget(log=log, object_type=object_type, object_id=i) for i in ids),
            batch_size=TARGET_BATCH,
        )
    return log


def _insert_access_log_postgresql(
    user: Any, kind: str, object_type: str, ids: list[str], request: Any, *, asynchronous: bool
) -> AccessLog:
    """The log row and its targets in one statement (one round trip, one transaction of its own or the
    caller's), instead of BEGIN, two INSERTs and COMMIT: the group page writes one on every view.

    Outside a caller's transaction, and with `ACCESS_LOG_ASYNC_COMMIT` (off by default: an access-log row is evidence, kept even through a database crash), the statement's
    transaction commits without waiting for its WAL flush (`synchronous_commit = off` for this transaction
    only): the row is committed and visible at once and an application crash loses nothing; only a crash
    of the database server within ~0.6 s (3 × wal_writer_delay) could lose the last rows, never corrupt
    anything. Waiting for the disk on every page view was most of the group page's time under load
    (bench/README.md). A caller's transaction keeps full durability for its own writes.
    """
    log = AccessLog(
        user=user,
        kind=kind,
        object_type=object_type,
        object_ids=ids,
        record_count=len(ids),
        path=(request.get_full_path()[:512] if request is not None else ""),
        ip_address=(client_ip(request) if request is not None else None),
        created_at=timezone.now(),
    )
    # None keeps whatever the session or the caller's transaction has.
    durability = "off" if asynchronous and settings.ACCESS_LOG_ASYNC_COMMIT else None
    # Table names come from the models' metadata, never from input; every value is a parameter.
    sql = (
        "WITH durability AS (SELECT set_config('synchronous_commit', "  # noqa: S608
        "COALESCE(%s, current_setting('synchronous_commit')), true) AS value), "
        f"log AS (INSERT INTO {AccessLog._meta.db_table} "
        "(user_id, kind, object_type, object_ids, record_count, path, ip_address, created_at) "
        "SELECT %s, %s, %s, %s::jsonb, %s, %s, %s::inet, %s FROM durability RETURNING id), "
        f"targets AS (INSERT INTO {AccessLogTarget._meta.db_table} (log_id, object_type, object_id) "
        "SELECT log.id, %s, unnest(%s::text[]) FROM log) "
        "SELECT id FROM log"
    )
    with transaction.get_connection().cursor() as cursor:
        cursor.execute(
            sql,
            [
                durability,
                user.pk,
                kind,
                object_type,
                json.dumps(ids),
                len(ids),
                log.path,
                log.ip_address,
                log.created_at,
                object_type,
                ids,
            ],
        )
        log.pk = cursor.fetchone()[0]
    log._state.adding = False
    return log


def _create_access_log(user: Any, kind: str, object_type: str, ids: list[str], request: Any) -> AccessLog:
    return AccessLog.objects.create(
        user=user,
        kind=kind,
        object_type=object_type,
        object_ids=ids,
        record_count=len(ids),
        path=(request.get_full_path()[:512] if request is not None else ""),
        ip_address=(client_ip(request) if request is not None else None),
    )


def jsonable(value: Any) -> Any:
    """A value as JSON can hold it: containers kept, anything else that is not a scalar as its text."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


class RetentionTooShort(ValueError):
    """The access log must be kept at least `ACCESS_LOG_MIN_RETENTION_DAYS` days."""


def purge_access_log(*, days: int, now: Any = None) -> int:
    """Delete access-log rows older than `days` days; one audit row says how many went. Returns the count."""
    minimum = settings.ACCESS_LOG_MIN_RETENTION_DAYS
    if days < minimum:
        raise RetentionTooShort(
            _("접속기록은 %(minimum)d일(2년) 이상 보관해야 합니다: 보관 기간 %(days)d일은 너무 짧습니다.")
            % {"minimum": minimum, "days": days}
        )
    cutoff = (now or timezone.now()) - datetime.timedelta(days=days)
    with transaction.atomic():
        old = AccessLog.objects.filter(created_at__lt=cutoff)
        AccessLogTarget.objects.filter(log__in=old.values("pk")).delete()
        deleted, _by_model = old.delete()
        if deleted:
            record_bulk_change(
                None, "access_log.purge", "core.accesslog", {"deleted": deleted, "before": cutoff}
            )
    return deleted
