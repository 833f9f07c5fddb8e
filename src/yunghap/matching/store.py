"""The process-level matching index, built from stored analysed terms and kept in step with the database.

`get_index()` builds on first use and, on every later call, applies what changed since the last look:
firms whose postings, profile analysis or registry row changed are re-read and replaced one by one
(no full rebuild); the vocabulary changing, a new day (postings expire by date) or a large delta trigger
a full rebuild. No Kiwi here: only stored terms are read.
"""

from __future__ import annotations

import datetime
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import TypedDict

from django.db.models import Count, Max
from django.utils import timezone

from .index import FirmRecord, MatchIndex
from .vocabulary import Vocabulary

_lock = threading.Lock()


class _State(TypedDict, total=False):
    index: MatchIndex
    stamp: tuple
    day: datetime.date
    synced: datetime.datetime
    dirty: set[int]


_state: _State = {}
SYNC_OVERLAP = datetime.timedelta(seconds=2)  # re-read a little of the past: commits land out of order


def _division(code: str | None) -> int:
    try:
        return int(code) if code else -1
    except ValueError:
        return -1


def load_records(firm_ids: Iterable[int] | None = None) -> list[FirmRecord]:
    """Index documents of all firms (or of the given ones) from the database."""
    from yunghap.network.models import Firm, size_class_of

    from .models import FirmProfileAnalysis, Posting

    firms = Firm.objects.all()
    # Only approved postings are candidates: a pending one is seen by its firm and coordinators only.
    postings = Posting.objects.open().filter(review_status=Posting.ReviewStatus.APPROVED)
    profiles = FirmProfileAnalysis.objects.all()
    if firm_ids is not None:
        ids = list(firm_ids)
        firms = firms.filter(id__in=ids)
        postings = postings.filter(firm_id__in=ids)
        profiles = profiles.filter(firm_id__in=ids)
    supply: dict[int, list[str]] = defaultdict(list)
    demand: dict[int, list[str]] = defaultdict(list)
    for firm_id, kind, terms in postings.values_list("firm_id", "kind", "terms").iterator(chunk_size=2000):
        (supply if kind == Posting.Kind.OFFER else demand)[firm_id].extend(terms or [])
    for firm_id, terms in profiles.values_list("firm_id", "terms").iterator(chunk_size=2000):
        supply[firm_id].extend(terms or [])
    rows = firms.values_list("id", "industry__code", "federation_id", "employees", "status")
    return [
        FirmRecord(
            firm_id=firm_id,
            division=_division(code),
            region=federation_id,
            size=size_class_of(employees),
            active=status == Firm.Status.ACTIVE,
            supply=supply.get(firm_id, []),
            demand=demand.get(firm_id, []),
        )
        for firm_id, code, federation_id, employees, status in rows.iterator(chunk_size=2000)
    ]


def _vocabulary_stamp() -> tuple:
    from .models import Capability

    summary = Capability.objects.aggregate(n=Count("id"), last=Max("updated_at"))
    return (summary["n"], summary["last"])


def _changed_firms(since: datetime.datetime) -> set[int]:
    from yunghap.network.models import Firm

    from .models import FirmProfileAnalysis, Posting

    changed = set(Posting.objects.filter(updated_at__gte=since).values_list("firm_id", flat=True))
    changed |= set(
        FirmProfileAnalysis.objects.filter(analysed_at__gte=since).values_list("firm_id", flat=True)
    )
    changed |= set(Firm.objects.filter(updated_at__gte=since).values_list("id", flat=True))
    return changed


def build_index() -> MatchIndex:
    return MatchIndex(load_records(), Vocabulary.from_db())


def get_index() -> MatchIndex:
    """The current index of this process, brought up to date."""
    with _lock:
        now = timezone.now()
        stamp = _vocabulary_stamp()
        index = _state.get("index")
        if (
            index is None
            or _state.get("stamp") != stamp
            or _state.get("day") != timezone.localdate()
            or index.needs_rebuild
        ):
            index = build_index()
        else:
            changed = _changed_firms(_state["synced"] - SYNC_OVERLAP)
            changed |= _state.pop("dirty", set())
            for record in load_records(changed) if changed else []:
                index.update(record)
        _state.update({"index": index, "stamp": stamp, "day": timezone.localdate(), "synced": now})
        return index


def mark_dirty(firm_id: int) -> None:
    """A change the timestamps cannot show (a deleted posting): re-read this firm on the next look."""
    with _lock:
        _state.setdefault("dirty", set()).add(firm_id)


def reset_index() -> None:
    global _state
    with _lock:
        _state = {}
