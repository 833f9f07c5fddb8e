"""Automatic assignment of reviewers to the applications of a call: one pure function, no database.

What it guarantees, in this order of priority:

1. never a conflicted pair (`conflicts`), never a reviewer twice on one application;
2. every application gets the reviews it still needs whenever enough unconflicted reviewers exist (the
   most slots that can be filled are filled);
3. load balanced: after the assignment the busiest and the least busy active reviewer differ by at most
   one whenever some assignment that fills those slots achieves it (otherwise as even as possible: the sum
   of the squared loads is the least);
4. expertise first: among the assignments as balanced as that, the most (application, reviewer) pairs
   where the topic's growth engine or a needed capability is in the reviewer's expertise;
5. deterministic: the same inputs (in any order) give the same result.

It is a minimum-cost flow: source → application (capacity: reviews still needed) → reviewer (capacity 1,
no conflict, not yet assigned; cost 1 unless an expertise match) → sink through one unit edge per load
level ℓ costing W·(2ℓ+1), the growth of ℓ² (a convex cost, so the cheapest levels fill first and the
loads end as even as the conflicts allow). W exceeds every possible expertise gain, so balance wins.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Slot:
    """One application as the algorithm sees it."""

    application: int
    needed: int  # reviews it still needs
    topic: frozenset[str] = field(default_factory=frozenset)  # keys of its topic: engine and capabilities
    assigned: frozenset[int] = field(default_factory=frozenset)  # reviewers already on it (any state)


def expertise_match(topic: Iterable[str], expertise: Iterable[str]) -> bool:
    return bool(set(topic) & set(expertise))


def plan_assignments(
    applications: Iterable[Slot],
    reviewers: Iterable[int],
    conflicts: Iterable[tuple[int, int]] | Mapping[tuple[int, int], object],
    expertise: Mapping[int, Iterable[str]],
    loads: Mapping[int, int],
) -> list[tuple[int, int]]:
    """The new (application id, reviewer id) pairs, sorted.

    `reviewers`: the active reviewers of the call; `conflicts`: (reviewer id, application id) pairs with a
    conflict (the keys of `conflicts.conflict_map`); `expertise`: reviewer id → keys; `loads`: reviewer id →
    assignments they already hold in the call."""
    slots = sorted((s for s in applications if s.needed > 0), key=lambda s: s.application)
    people = sorted(set(reviewers))
    conflicted = set(conflicts.keys() if isinstance(conflicts, Mapping) else conflicts)
    if not slots or not people:
        return []
    known = {r: frozenset(expertise.get(r, ())) for r in people}
    demand = sum(s.needed for s in slots)
    weight = demand + 1  # any balance step outweighs every expertise match together

    # Nodes: 0 source, 1 sink, then applications, then reviewers.
    graph: list[list[int]] = []  # node → edge indexes
    to: list[int] = []
    cap: list[int] = []
    cost: list[int] = []

    def node() -> int:
        graph.append([])
        return len(graph) - 1

    def edge(u: int, v: int, capacity: int, price: int) -> int:
        index = len(to)
        to.extend((v, u))
        cap.extend((capacity, 0))
        cost.extend((price, -price))
        graph[u].append(index)
        graph[v].append(index + 1)
        return index

    source, sink = node(), node()
    app_node = {s.application: node() for s in slots}
    reviewer_node = {r: node() for r in people}
    pair_edge: dict[int, tuple[int, int]] = {}
    reachable: dict[int, int] = {r: 0 for r in people}  # how many applications each reviewer could take
    for slot in slots:
        u = app_node[slot.application]
        edge(source, u, slot.needed, 0)
        for r in people:
            if r in slot.assigned or (r, slot.application) in conflicted:
                continue
            price = 0 if expertise_match(slot.topic, known[r]) else 1
            pair_edge[edge(u, reviewer_node[r], 1, price)] = (slot.application, r)
            reachable[r] += 1
    for r in people:
        level = loads.get(r, 0)
        for step in range(min(reachable[r], demand)):
            edge(reviewer_node[r], sink, 1, weight * (2 * (level + step) + 1))

    _min_cost_flow(graph, to, cap, cost, source, sink, demand)
    return sorted(pair for index, pair in pair_edge.items() if cap[index] == 0)


def _min_cost_flow(
    graph: list[list[int]], to: list[int], cap: list[int], cost: list[int], source: int, sink: int, limit: int
) -> int:
    """Successive shortest paths with Dijkstra on reduced costs (all costs start non-negative)."""
    size = len(graph)
    potential = [0] * size
    flow = 0
    infinity = float("inf")
    while flow < limit:
        distance: list[float] = [infinity] * size
        previous = [-1] * size
        distance[source] = 0
        heap: list[tuple[float, int]] = [(0, source)]
        while heap:
            d, u = heapq.heappop(heap)
            if d > distance[u]:
                continue
            for index in graph[u]:
                if cap[index] <= 0:
                    continue
                v = to[index]
                nd = d + cost[index] + potential[u] - potential[v]
                if nd < distance[v]:
                    distance[v] = nd
                    previous[v] = index
                    heapq.heappush(heap, (nd, v))
        if distance[sink] == infinity:
            break
        for v in range(size):
            if distance[v] < infinity:
                potential[v] += int(distance[v])
        # Augment by the bottleneck along the path.
        push = limit - flow
        v = sink
        while v != source:
            index = previous[v]
            push = min(push, cap[index])
            v = to[index ^ 1]
        v = sink
        while v != source:
            index = previous[v]
            cap[index] -= push
            cap[index ^ 1] += push
            v = to[index ^ 1]
        flow += push
    return flow


__all__ = ["Slot", "expertise_match", "plan_assignments"]
