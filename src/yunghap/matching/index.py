"""The matching index: one document per firm and side, BM25 over stored terms plus capability coverage.

Two sides: `supply` (a firm's open offers and its profile technologies/products) and `demand` (its open
needs). A need is answered on the supply side, an offer on the demand side. Each side is a term-major
sparse matrix of BM25 weights and a capability-major binary matrix, so a query touches only the posting
lists of its own terms (numpy `bincount` over the concatenated lists) and filters are numpy masks over
the firm arrays.

Incremental updates follow the segment idea: a changed firm's document is tombstoned in the main
matrices and kept in a small in-memory delta until the next full build, which the owner triggers when the
delta grows past `delta_limit`. Nothing here touches the database or Kiwi; `store.py` feeds it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from .vocabulary import Vocabulary

K1 = 1.2
B = 0.75
CAPABILITY_SHARE = 0.75  # of the score, when the query names capabilities; the rest is BM25
LEXICAL_ONLY_SHARE = 0.5  # a query naming no capability: its words alone are weaker evidence
# A need's description of the seeker's own product (`Query.avoid`) is scored like a query and taken off,
# this much of it: a firm that looks like the seeker's product is a competitor or a peer, not a partner.
OWN_PRODUCT_PENALTY = 1.0

SIZE_CODES = {"": 0, "micro": 1, "small": 2, "medium": 3, "large": 4}
SIDES = ("supply", "demand")


@dataclass
class FirmRecord:
    firm_id: int
    division: int  # KSIC division as a number (26), -1 when unknown
    region: int  # federation id
    size: str  # yunghap.network.models.size_class_of code
    active: bool
    supply: list[str] = field(default_factory=list)
    demand: list[str] = field(default_factory=list)


@dataclass
class Query:
    terms: list[str]
    weight: float = 1.0  # a firm's several needs add up; each counts this much
    avoid: list[str] = field(default_factory=list)  # the seeker's own product, as the need describes it


@dataclass
class Hit:
    position: int
    firm_id: int
    score: float


class _Side:
    def __init__(self, n_docs: int, term_ids: dict[str, int], cap_index: dict[int, int]) -> None:
        self.n_main = n_docs
        self.term_ids = term_ids
        self.cap_index = cap_index
        self.indptr = np.zeros(1, dtype=np.int64)
        self.indices = np.zeros(0, dtype=np.int32)
        self.data = np.zeros(0, dtype=np.float32)
        self.cap_indptr = np.zeros(len(cap_index) + 1, dtype=np.int64)
        self.cap_indices = np.zeros(0, dtype=np.int32)
        self.idf = np.zeros(0, dtype=np.float32)
        self.cap_weight = np.zeros(len(cap_index), dtype=np.float64)
        self.avg_len = 1.0
        self.tombstones: set[int] = set()
        self.delta_terms: dict[int, dict[int, float]] = {}
        self.delta_caps: dict[int, set[int]] = {}
        self.delta_inv: dict[int, dict[int, float]] = defaultdict(dict)
        self.delta_cap_inv: dict[int, set[int]] = defaultdict(set)

    # -- building ------------------------------------------------------------------------------------
    def build(
        self, docs: Sequence[list[str]], term_caps: list[tuple[int, ...]], vocabulary: Vocabulary
    ) -> None:
        n = len(docs)
        lengths = np.fromiter((len(d) for d in docs), dtype=np.int64, count=n)
        term_ids = self.term_ids
        flat: list[int] = []
        for doc in docs:
            for term in doc:
                tid = term_ids.get(term)
                if tid is None:
                    tid = term_ids[term] = len(term_ids)
                    term_caps.append(tuple(self.cap_index[c] for c in vocabulary.lookup(term)[0]))
                flat.append(tid)
        terms = np.array(flat, dtype=np.int64)
        doc_of = np.repeat(np.arange(n, dtype=np.int64), lengths)
        n_terms = len(term_ids)
        pairs, tf = np.unique(terms * max(n, 1) + doc_of, return_counts=True)
        pair_term = pairs // max(n, 1)
        pair_doc = (pairs % max(n, 1)).astype(np.int32)
        df = np.bincount(pair_term, minlength=n_terms)
        self.idf = np.log1p((n - df + 0.5) / (df + 0.5)).astype(np.float32)
        doc_len = lengths.astype(np.float32)
        self.avg_len = float(doc_len.mean()) if n else 1.0
        norm = K1 * (1 - B + B * doc_len[pair_doc] / max(self.avg_len, 1e-9))
        self.data = (self.idf[pair_term] * tf * (K1 + 1) / (tf + norm)).astype(np.float32)
        self.indices = pair_doc
        self.indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        self.doc_len = doc_len
        self._build_caps(pair_term, pair_doc, term_caps, n)

    def _build_caps(self, pair_term: np.ndarray, pair_doc: np.ndarray, term_caps: list, n: int) -> None:
        n_caps = len(self.cap_index)
        counts = np.fromiter((len(c) for c in term_caps), dtype=np.int64, count=len(term_caps))
        flat_caps = np.fromiter(
            (c for caps in term_caps for c in caps), dtype=np.int64, count=int(counts.sum())
        )
        starts = np.concatenate([[0], np.cumsum(counts)])
        per_pair = counts[pair_term]
        has = per_pair > 0
        rep_doc = np.repeat(pair_doc[has].astype(np.int64), per_pair[has])
        # The k-th capability of each pair's term: start of the term's list plus a running offset.
        rep_start = np.repeat(starts[pair_term[has]], per_pair[has])
        offsets = np.arange(len(rep_start)) - np.repeat(
            np.cumsum(per_pair[has]) - per_pair[has], per_pair[has]
        )
        rep_cap = flat_caps[rep_start + offsets] if len(rep_start) else np.zeros(0, dtype=np.int64)
        keys = np.unique(rep_cap * max(n, 1) + rep_doc)
        cap_of = keys // max(n, 1)
        self.cap_indices = (keys % max(n, 1)).astype(np.int32)
        cap_df = np.bincount(cap_of, minlength=n_caps)
        self.cap_indptr = np.concatenate([[0], np.cumsum(cap_df)]).astype(np.int64)
        self.cap_weight = np.log1p((n - cap_df + 0.5) / (cap_df + 0.5))

    # -- incremental ---------------------------------------------------------------------------------
    def replace(self, position: int, terms: list[str], vocabulary: Vocabulary) -> None:
        self.remove_delta(position)
        if position < self.n_main:
            self.tombstones.add(position)
        if not terms:
            return
        counts: dict[int, int] = defaultdict(int)
        caps: set[int] = set()
        for term in terms:
            tid = self.term_ids.get(term)
            if tid is None:
                tid = self.term_ids[term] = len(self.term_ids)
            counts[tid] += 1
            for cap in vocabulary.lookup(term)[0]:
                index = self.cap_index.get(cap)
                if index is not None:
                    caps.add(index)
        norm = K1 * (1 - B + B * len(terms) / max(self.avg_len, 1e-9))
        weights = {tid: self._idf(tid) * tf * (K1 + 1) / (tf + norm) for tid, tf in counts.items()}
        self.delta_terms[position] = weights
        self.delta_caps[position] = caps
        for tid, weight in weights.items():
            self.delta_inv[tid][position] = weight
        for cap in caps:
            self.delta_cap_inv[cap].add(position)

    def remove_delta(self, position: int) -> None:
        for tid in self.delta_terms.pop(position, {}):
            self.delta_inv[tid].pop(position, None)
        for cap in self.delta_caps.pop(position, set()):
            self.delta_cap_inv[cap].discard(position)

    def _idf(self, tid: int) -> float:
        if tid < len(self.idf):
            return float(self.idf[tid])
        return math.log1p((self.n_main + 0.5) / 1.5)  # unseen in the main build: as rare as can be

    # -- querying ------------------------------------------------------------------------------------
    def contributions(
        self, tids: list[int], caps: list[int], *, lexical_share: float, capability_share: float
    ) -> tuple[list[np.ndarray], list[np.ndarray], dict[int, float]]:
        """Posting-list slices and their weighted scores for one query, plus the delta documents' scores.

        BM25 is scaled by the query's own weight (the sum of its terms' idf: what a document holding
        every term once would roughly get), capabilities by their idf share of the query's capabilities,
        so that every part lands on a 0–1 scale without a pass over all documents.
        """
        # Words in more than a twentieth of the documents weigh little in BM25 (idf < 3 of a possible
        # ~14 at a million) but cost the most to add up: like stop words, they are left out of the sum.
        limit = max(50, self.n_main // 20)
        n_main_terms = len(self.indptr) - 1
        idx: list[np.ndarray] = []
        val: list[np.ndarray] = []
        delta: dict[int, float] = defaultdict(float)
        kept = [t for t in tids if t >= n_main_terms or self.indptr[t + 1] - self.indptr[t] <= limit]
        bound = sum(self._idf(t) for t in kept) * (K1 + 1)
        if kept and bound > 0 and lexical_share != 0:
            scale = lexical_share / bound
            for t in kept:
                if t < n_main_terms:
                    start, end = self.indptr[t], self.indptr[t + 1]
                    idx.append(self.indices[start:end])
                    val.append(self.data[start:end] * scale)
                for position, weight in self.delta_inv.get(t, {}).items():
                    delta[position] += weight * scale
        if caps and capability_share != 0:
            weights = self.cap_weight[caps]
            total = float(weights.sum()) or 1.0
            for cap, weight in zip(caps, weights, strict=True):
                share = capability_share * weight / total
                part = self.cap_indices[self.cap_indptr[cap] : self.cap_indptr[cap + 1]]
                idx.append(part)
                val.append(np.full(len(part), share, dtype=np.float32))
                for position in self.delta_cap_inv.get(cap, ()):
                    delta[position] += share
        return idx, val, delta

    @property
    def nbytes(self) -> int:
        arrays: list[np.ndarray] = [
            self.indptr,
            self.indices,
            self.data,
            self.cap_indptr,
            self.cap_indices,
            self.idf,
        ]
        return int(sum(a.nbytes for a in arrays))


class MatchIndex:
    def __init__(
        self, records: Iterable[FirmRecord], vocabulary: Vocabulary, *, delta_limit: int = 2000
    ) -> None:
        records = list(records)
        self.vocabulary = vocabulary
        self.delta_limit = delta_limit
        self.firm_ids = np.array([r.firm_id for r in records], dtype=np.int64)
        self.division = np.array([r.division for r in records], dtype=np.int16)
        self.region = np.array([r.region for r in records], dtype=np.int32)
        self.size = np.array([SIZE_CODES.get(r.size, 0) for r in records], dtype=np.int8)
        self.active = np.array([r.active for r in records], dtype=bool)
        self.position = {r.firm_id: i for i, r in enumerate(records)}
        self.cap_index = {cap_id: i for i, cap_id in enumerate(sorted(vocabulary.names))}
        self.cap_ids = sorted(vocabulary.names)
        self.term_ids: dict[str, int] = {}
        term_caps: list[tuple[int, ...]] = []
        self.sides = {side: _Side(len(records), self.term_ids, self.cap_index) for side in SIDES}
        for side in SIDES:
            self.sides[side].build([getattr(r, side) for r in records], term_caps, vocabulary)

    def __len__(self) -> int:
        return len(self.firm_ids)

    @property
    def delta_size(self) -> int:
        """Documents changed since the build (rewritten in the delta or tombstoned)."""
        return max(len(s.tombstones | set(s.delta_terms)) for s in self.sides.values())

    @property
    def needs_rebuild(self) -> bool:
        return self.delta_size > self.delta_limit

    @property
    def nbytes(self) -> int:
        firm_arrays: list[np.ndarray] = [self.firm_ids, self.division, self.region, self.size, self.active]
        return sum(s.nbytes for s in self.sides.values()) + sum(a.nbytes for a in firm_arrays)

    def update(self, record: FirmRecord) -> None:
        """Replace one firm's documents (after one of its postings or its profile changed)."""
        position = self.position.get(record.firm_id)
        if position is None:
            position = len(self.firm_ids)
            self.position[record.firm_id] = position
            self.firm_ids = np.append(self.firm_ids, record.firm_id)
            self.division = np.append(self.division, np.int16(record.division))
            self.region = np.append(self.region, np.int32(record.region))
            self.size = np.append(self.size, np.int8(SIZE_CODES.get(record.size, 0)))
            self.active = np.append(self.active, record.active)
        else:
            self.division[position] = record.division
            self.region[position] = record.region
            self.size[position] = SIZE_CODES.get(record.size, 0)
            self.active[position] = record.active
        for side in SIDES:
            self.sides[side].replace(position, getattr(record, side), self.vocabulary)

    def capabilities_of(self, terms: Iterable[str]) -> list[int]:
        return [self.cap_index[c] for c in self.vocabulary.capabilities_of(terms) if c in self.cap_index]

    def search(
        self,
        side: str,
        queries: Sequence[Query],
        *,
        top: int = 20,
        exclude_firms: Iterable[int] = (),
        exclude_division: int | None = None,
        regions: Iterable[int] = (),
        sizes: Iterable[str] = (),
    ) -> list[Hit]:
        """Best firms for the queries on `side`, best first; firms scoring 0 never appear."""
        n = len(self.firm_ids)
        index = self.sides[side]
        idx: list[np.ndarray] = []
        val: list[np.ndarray] = []
        delta: dict[int, float] = defaultdict(float)
        for query in queries:
            distinct = list(dict.fromkeys(query.terms))
            tids = [self.term_ids[t] for t in distinct if t in self.term_ids]
            caps = self.capabilities_of(distinct)
            parts = [(tids, caps, query.weight)]
            if query.avoid:
                # What the seeker makes, less what it asks for: scored the same way, then subtracted.
                asked = set(distinct)
                own = [t for t in dict.fromkeys(query.avoid) if t not in asked]
                own_tids = [self.term_ids[t] for t in own if t in self.term_ids]
                own_caps = [c for c in self.capabilities_of(own) if c not in set(caps)]
                parts.append((own_tids, own_caps, -query.weight * OWN_PRODUCT_PENALTY))
            for part_tids, part_caps, weight in parts:
                if part_caps:
                    shares = (weight * (1 - CAPABILITY_SHARE), weight * CAPABILITY_SHARE)
                else:
                    shares = (weight * LEXICAL_ONLY_SHARE, 0.0)
                i, v, d = index.contributions(
                    part_tids, part_caps, lexical_share=shares[0], capability_share=shares[1]
                )
                idx += i
                val += v
                for position, score in d.items():
                    delta[position] += score
        # One pass over the documents: every query's every posting list summed by a single bincount.
        if idx:
            total: np.ndarray = np.bincount(np.concatenate(idx), weights=np.concatenate(val), minlength=n)
            # An empty input comes back as integers, which would swallow the delta's fractions below.
            total = total.astype(np.float64, copy=False)
        else:
            total = np.zeros(n)
        if index.tombstones:
            total[np.fromiter(index.tombstones, dtype=np.int64)] = 0.0
        for position, score in delta.items():
            total[position] += score
        candidates = np.flatnonzero(total > 1e-9)
        keep = self.active[candidates]
        if exclude_division is not None and exclude_division >= 0:
            keep &= self.division[candidates] != exclude_division
        regions = list(regions)
        if regions:
            keep &= np.isin(self.region[candidates], regions)
        size_codes = [SIZE_CODES[s] for s in sizes if s in SIZE_CODES]
        if size_codes:
            keep &= np.isin(self.size[candidates], size_codes)
        excluded = [self.position[f] for f in exclude_firms if f in self.position]
        if excluded:
            total[excluded] = 0.0
            keep &= total[candidates] > 0
        candidates = candidates[keep]
        if top <= 0:
            return []
        if len(candidates) > top:
            candidates = candidates[np.argpartition(-total[candidates], top - 1)[:top]]
        best = candidates
        order = sorted(best.tolist(), key=lambda p: (-total[p], int(self.firm_ids[p])))
        return [Hit(p, int(self.firm_ids[p]), float(total[p])) for p in order]
