"""Matching index speed: build time, memory, p50/p95 query latency, incremental update, at 100k and 1M firms.

    .venv/bin/python bench/matching_speed.py [--sizes 100000 1000000] [--queries 300]

Synthetic firm profiles: a Zipf-distributed vocabulary of 60,000 terms (the shape of real text: a few
words everywhere, most words rare) plus 120 capabilities with 4 surface forms each; every firm offers
~16 terms and needs ~8. Queries are needs of random firms, answered on the supply side with the default
filters (other KSIC division, active firms). No database, no Kiwi: the index works on stored terms.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from yunghap.matching.index import FirmRecord, MatchIndex, Query  # noqa: E402
from yunghap.matching.vocabulary import Vocabulary  # noqa: E402

N_TERMS = 60_000
N_CAPS = 120


def make_world(n: int, seed: int = 7) -> tuple[list[FirmRecord], Vocabulary, list[str]]:
    rng = np.random.default_rng(seed)
    words = [f"w{i}" for i in range(N_TERMS)]
    cap_keys = [[f"cap{c}form{k}" for k in range(4)] for c in range(N_CAPS)]
    vocabulary = Vocabulary((c, f"cap{c}", forms) for c, forms in enumerate(cap_keys))
    ranks = np.arange(1, N_TERMS + 1)
    p = 1.0 / ranks**1.05
    p /= p.sum()
    supply_words = rng.choice(N_TERMS, size=(n, 14), p=p)
    demand_words = rng.choice(N_TERMS, size=(n, 6), p=p)
    supply_caps = rng.integers(0, N_CAPS, size=(n, 2))
    demand_caps = rng.integers(0, N_CAPS, size=(n, 2))
    forms = rng.integers(0, 4, size=(n, 4))
    divisions = rng.integers(10, 34, size=n)
    regions = rng.integers(1, 14, size=n)
    records = []
    for i in range(n):
        supply = [words[w] for w in supply_words[i]] + [
            cap_keys[c][forms[i, k]] for k, c in enumerate(supply_caps[i])
        ]
        demand = [words[w] for w in demand_words[i]] + [
            cap_keys[c][forms[i, 2 + k]] for k, c in enumerate(demand_caps[i])
        ]
        records.append(FirmRecord(i + 1, int(divisions[i]), int(regions[i]), "small", True, supply, demand))
    return records, vocabulary, words


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int, queries: int) -> dict[str, float]:
    records, vocabulary, words = make_world(n)
    gc.collect()
    before = rss_mb()
    t0 = time.perf_counter()
    index = MatchIndex(records, vocabulary, delta_limit=10_000)
    build = time.perf_counter() - t0
    rng = np.random.default_rng(11)
    latencies = []
    for q in rng.integers(0, n, size=queries):
        record = records[int(q)]
        t0 = time.perf_counter()
        index.search(
            "supply",
            [Query(record.demand)],
            top=20,
            exclude_firms=[record.firm_id],
            exclude_division=record.division,
        )
        latencies.append((time.perf_counter() - t0) * 1000)
    # Incremental update: one firm's posting changed; then queries still see the change.
    updates = []
    for q in rng.integers(0, n, size=50):
        record = records[int(q)]
        changed = FirmRecord(
            record.firm_id,
            record.division,
            record.region,
            "small",
            True,
            record.supply + ["cap7form1", words[123]],
            record.demand,
        )
        t0 = time.perf_counter()
        index.update(changed)
        updates.append((time.perf_counter() - t0) * 1000)
    after_update = []
    for q in rng.integers(0, n, size=min(queries, 100)):
        record = records[int(q)]
        t0 = time.perf_counter()
        index.search("supply", [Query(record.demand)], top=20, exclude_division=record.division)
        after_update.append((time.perf_counter() - t0) * 1000)
    return {
        "firms": n,
        "build_s": build,
        "index_mb": index.nbytes / 1e6,
        "rss_growth_mb": rss_mb() - before,
        "p50_ms": float(np.percentile(latencies, 50)),
        "p95_ms": float(np.percentile(latencies, 95)),
        "update_ms_median": float(np.median(updates)),
        "p95_ms_with_delta": float(np.percentile(after_update, 95)),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    print(
        f"{'firms':>9} {'build s':>8} {'index MB':>9} {'RSS+ MB':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'update ms':>9} {'p95 after 50 updates':>21}"
    )
    for n in args.sizes:
        r = run(n, args.queries)
        print(
            f"{r['firms']:>9,} {r['build_s']:>8.1f} {r['index_mb']:>9.0f} {r['rss_growth_mb']:>8.0f} "
            f"{r['p50_ms']:>7.2f} {r['p95_ms']:>7.2f} {r['update_ms_median']:>9.3f} {r['p95_ms_with_delta']:>21.2f}"
        )


if __name__ == "__main__":
    main()
