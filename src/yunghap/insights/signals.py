"""Keep the materialised figures honest: any ORM save or delete of a source row marks its group stale.

Queryset `update()` and `bulk_create()` send no signals. The spreadsheet imports of the registry and the
ledger write that way; an importer that declares `affects = {"statistics"}` triggers, through
`core.imports.import_written`, a full rebuild in the background once the import has committed. Other bulk
writers (the demo) call `yunghap.insights.figures.mark_stale` or `refresh_group_months` themselves.
Connected by `InsightsConfig.ready()`; docs/reactions.md lists every reaction to a write.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
from yunghap.core.imports import import_written
from yunghap.network.models import ExchangeGroup, Firm, Membership

from .figures import mark_stale


def _group_row_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    mark_stale([instance.group_id])


# Only saves: a post_delete receiver would stop Django from fast-deleting the attendance rows of a deleted
# meeting or firm, and those deletions already mark the group through the Meeting or Membership signal.
def _attendance_changed(sender: Any, instance: Attendance, **kwargs: Any) -> None:
    meeting = Attendance.meeting.get_cached_value(instance, default=None)  # type: ignore[attr-defined]
    if meeting is not None:
        mark_stale([meeting.group_id])
    else:
        mark_stale(Meeting.objects.filter(pk=instance.meeting_id).values_list("group_id", flat=True))


def _group_changed(sender: Any, instance: ExchangeGroup, **kwargs: Any) -> None:
    mark_stale([instance.pk])


def _types_changed(
    sender: Any, instance: Any, action: str, reverse: bool, pk_set: Any, **kwargs: Any
) -> None:
    # A group's exchange types decide which per-type roll-ups it counts in.
    if not action.startswith("post_"):
        return
    if reverse:
        mark_stale(
            pk_set or ExchangeGroup.objects.filter(exchange_types=instance).values_list("id", flat=True)
        )
    else:
        mark_stale([instance.pk])


def _firm_changed(sender: Any, instance: Firm, created: bool = False, **kwargs: Any) -> None:
    # A firm's industry feeds its groups' diversity figures; a new firm belongs to no group yet.
    if not created:
        mark_stale(Membership.objects.filter(firm_id=instance.pk).values_list("group_id", flat=True))


def _import_written(sender: Any, affects: frozenset[str] = frozenset(), **kwargs: Any) -> None:
    if "statistics" not in affects:
        return
    from .tasks import refresh_statistics

    transaction.on_commit(refresh_statistics.enqueue)


def connect_signals() -> None:
    for model in (Meeting, Trade, Outcome, Activity, Membership):
        post_save.connect(_group_row_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-save")
        post_delete.connect(
            _group_row_changed, sender=model, dispatch_uid=f"insights-{model.__name__}-delete"
        )
    post_save.connect(_attendance_changed, sender=Attendance, dispatch_uid="insights-Attendance-save")
    post_save.connect(_group_changed, sender=ExchangeGroup, dispatch_uid="insights-ExchangeGroup-save")
    post_save.connect(_firm_changed, sender=Firm, dispatch_uid="insights-Firm-save")
    m2m_changed.connect(
        _types_changed, sender=ExchangeGroup.exchange_types.through, dispatch_uid="insights-group-types"
    )
    import_written.connect(_import_written, dispatch_uid="insights-import-written")
