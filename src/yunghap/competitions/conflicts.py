"""Conflicts of interest between reviewers and entries: the calls' rule (`programmes.conflicts`), fed with
an entry's firms instead of an application's.

An entry's firms are the exchange group's current members, or the consortium's members that have not
declined their place. "Another item of the same call" becomes "another entry of the same competition"
(withdrawn entries included: a firm that entered stays an interested party). The rule and its codes are
`programmes.conflicts.judge_conflicts`; nothing is decided here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from yunghap.programmes.conflicts import judge_conflicts

from .models import Entry


def entry_firms(entries: Iterable[Entry]) -> dict[int, set[int]]:
    """entry id → the firms taking part in it (two queries whatever the number of entries)."""
    from yunghap.network.models import Membership
    from yunghap.programmes.models import ConsortiumMember

    entries = list(entries)
    firms: dict[int, set[int]] = {e.pk: set() for e in entries}
    by_group: dict[int, list[int]] = defaultdict(list)
    by_consortium: dict[int, list[int]] = defaultdict(list)
    for e in entries:
        if e.group_id:
            by_group[e.group_id].append(e.pk)
        elif e.consortium_id:
            by_consortium[e.consortium_id].append(e.pk)
    if by_group:
        for group_id, firm_id in (
            Membership.objects.current().filter(group_id__in=by_group).values_list("group_id", "firm_id")
        ):
            for entry_id in by_group[group_id]:
                firms[entry_id].add(firm_id)
    if by_consortium:
        for consortium_id, firm_id in (
            ConsortiumMember.objects.filter(consortium_id__in=by_consortium)
            .exclude(state=ConsortiumMember.State.DECLINED)
            .values_list("consortium_id", "firm_id")
        ):
            for entry_id in by_consortium[consortium_id]:
                firms[entry_id].add(firm_id)
    return firms


def conflict_map(reviewers: Iterable[object], entries: Iterable[Entry]) -> dict[tuple[int, int], list[str]]:
    """(reviewer id, entry id) → conflict codes, for every pair that has one (the calls' rule)."""
    reviewers = list(reviewers)
    entries = list(entries)
    if not reviewers or not entries:
        return {}
    members = entry_firms(entries)
    competition_ids = {e.competition_id for e in entries}
    # Every entry of those competitions, to find the firms in another entry of the same competition.
    everyone = list(
        Entry.objects.filter(competition_id__in=competition_ids).only(
            "pk", "competition_id", "group_id", "consortium_id"
        )
    )
    all_firms = entry_firms(everyone)
    rivals: dict[int, set[int]] = {}
    for entry in entries:
        others: set[int] = set()
        for other in everyone:
            if other.competition_id == entry.competition_id and other.pk != entry.pk:
                others |= all_firms.get(other.pk, set())
        rivals[entry.pk] = others
    return judge_conflicts(reviewers, members, rivals)


def conflicts_of(reviewer: object, entry: Entry) -> list[str]:
    """The conflict codes between one reviewer and one entry (empty: none)."""
    return conflict_map([reviewer], [entry]).get((reviewer.pk, entry.pk), [])  # type: ignore[attr-defined]
