"""Conflicts of interest (제척·회피) between a reviewer and an application, computed from current data.

The codes:
- `affiliation` — the reviewer's affiliation firm is a member of the consortium;
- `same_group` — the affiliation firm shares a current exchange group with a member;
- `applicant` — the affiliation firm is in another application of the same call;
- `declared` — the reviewer declared a conflict with a member (`DeclaredConflict`).

Members are the consortium's firms that have not declined their place. A reviewer with any conflict is
never assigned (`programmes.review` checks before assigning) and never sees the application
(`Application.objects.visible_to`); the reviews import refuses the row naming the code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping

AFFILIATION = "affiliation"
SAME_GROUP = "same_group"
APPLICANT = "applicant"
DECLARED = "declared"
CONFLICT_CODES = (AFFILIATION, SAME_GROUP, APPLICANT, DECLARED)


def conflict_map(
    reviewers: Iterable[object], applications: Iterable[object]
) -> dict[tuple[int, int], list[str]]:
    """(reviewer id, application id) → conflict codes, for every pair that has one (others are absent).

    A fixed number of queries whatever the numbers of reviewers and applications (auto-assignment asks
    about every pair of a call)."""
    from .models import Application, ConsortiumMember

    reviewers = list(reviewers)
    application_ids = [a.pk for a in applications]  # type: ignore[attr-defined]
    if not reviewers or not application_ids:
        return {}
    members: dict[int, set[int]] = defaultdict(set)  # application id → member firm ids
    call_of: dict[int, int] = {}
    for app_id, call_id in Application.objects.filter(pk__in=application_ids).values_list("pk", "call_id"):
        call_of[app_id] = call_id
    for app_id, firm_id in (
        ConsortiumMember.objects.filter(consortium__application__in=application_ids)
        .exclude(state=ConsortiumMember.State.DECLINED)
        .values_list("consortium__application", "firm_id")
    ):
        members[app_id].add(firm_id)
    affiliation_firms = {r.affiliation_id for r in reviewers if r.affiliation_id}  # type: ignore[attr-defined]
    # Other applications of the same call that hold each affiliation firm: (call id, firm) → application ids.
    in_call: dict[tuple[int, int], set[int]] = defaultdict(set)
    if affiliation_firms:
        for firm_id, app_id, call_id in (
            ConsortiumMember.objects.filter(
                firm_id__in=affiliation_firms, consortium__application__isnull=False
            )
            .filter(consortium__application__call_id__in=set(call_of.values()))
            .exclude(state=ConsortiumMember.State.DECLINED)
            .values_list("firm_id", "consortium__application", "consortium__application__call_id")
        ):
            in_call[(call_id, firm_id)].add(app_id)
    rivals = {
        app_id: {
            firm
            for (call_id, firm), apps in in_call.items()
            if call_id == call_of.get(app_id) and apps - {app_id}
        }
        for app_id in application_ids
    }
    return judge_conflicts(reviewers, members, rivals)


def judge_conflicts(
    reviewers: Iterable[object], members: Mapping[int, set[int]], rivals: Mapping[int, set[int]]
) -> dict[tuple[int, int], list[str]]:
    """The rule itself, for anything reviewed like an application (a call's application, a competition's
    entry): (reviewer id, item id) → conflict codes, for every pair that has one.

    `members`: item id → the firms taking part in it; `rivals`: item id → the firms taking part in another
    item of the same call or competition (only the reviewers' affiliation firms matter). The shared current
    groups and the declared conflicts are read here, in a fixed number of queries."""
    from yunghap.network.models import Membership

    from .models import DeclaredConflict

    reviewers = list(reviewers)
    item_ids = list(dict.fromkeys([*members, *rivals]))
    if not reviewers or not item_ids:
        return {}
    affiliation = {r.pk: r.affiliation_id for r in reviewers if r.affiliation_id}  # type: ignore[attr-defined]
    affiliation_firms = set(affiliation.values())
    # Firms sharing a current group with each affiliation firm.
    group_mates: dict[int, set[int]] = defaultdict(set)
    if affiliation_firms:
        current = Membership.objects.current()
        groups_of: dict[int, set[int]] = defaultdict(set)
        for firm_id, group_id in current.filter(firm_id__in=affiliation_firms).values_list(
            "firm_id", "group_id"
        ):
            groups_of[firm_id].add(group_id)
        all_groups = {g for groups in groups_of.values() for g in groups}
        firms_in: dict[int, set[int]] = defaultdict(set)
        for group_id, firm_id in current.filter(group_id__in=all_groups).values_list("group_id", "firm_id"):
            firms_in[group_id].add(firm_id)
        for firm_id, groups in groups_of.items():
            for group_id in groups:
                group_mates[firm_id] |= firms_in[group_id]
            group_mates[firm_id].discard(firm_id)
    declared: dict[int, set[int]] = defaultdict(set)
    reviewer_ids = [r.pk for r in reviewers]  # type: ignore[attr-defined]
    for reviewer_id, firm_id in DeclaredConflict.objects.filter(reviewer__in=reviewer_ids).values_list(
        "reviewer_id", "firm_id"
    ):
        declared[reviewer_id].add(firm_id)

    found: dict[tuple[int, int], list[str]] = {}
    for reviewer in reviewers:
        rid = reviewer.pk  # type: ignore[attr-defined]
        firm = affiliation.get(rid)
        for item_id in item_ids:
            firms = members.get(item_id, set())
            codes = []
            if firm is not None:
                if firm in firms:
                    codes.append(AFFILIATION)
                if group_mates.get(firm, set()) & firms:
                    codes.append(SAME_GROUP)
                if firm in rivals.get(item_id, set()):
                    codes.append(APPLICANT)
            if declared.get(rid, set()) & firms:
                codes.append(DECLARED)
            if codes:
                found[(rid, item_id)] = codes
    return found


def conflicts_of(reviewer: object, application: object) -> list[str]:
    """The conflict codes between one reviewer and one application (empty: none)."""
    return conflict_map([reviewer], [application]).get((reviewer.pk, application.pk), [])  # type: ignore[attr-defined]


def unconflicted(reviewer: object, application_ids: Iterable[int]) -> set[int]:
    """Of these applications, the ones `reviewer` has no conflict with."""
    from .models import Application

    applications = list(Application.objects.filter(pk__in=list(application_ids)).only("pk"))
    conflicts = conflict_map([reviewer], applications)
    return {a.pk for a in applications if (reviewer.pk, a.pk) not in conflicts}  # type: ignore[attr-defined]


__all__ = ["CONFLICT_CODES", "conflict_map", "conflicts_of", "judge_conflicts", "unconflicted"]
