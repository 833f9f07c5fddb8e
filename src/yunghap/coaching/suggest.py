"""Suggested mentors for a junior firm: matching's ranking, kept to firms that may be seniors.

What the junior needs is its open approved needs (`matching.Posting`, their analysed terms); it is answered
by `matching.recommend.recommend_for_need` with an unsaved need of those terms (one engine, one reason
vocabulary), which leaves out the junior's own KSIC division unless `include_same_industry`. Among its
hits only eligible seniors stay (`mentoring.eligible_senior_ids`). What a senior has done — the topics and
capabilities of its completed consortia, its recorded results — adds to its score where it meets the
junior's terms, and brings in eligible seniors the index did not find (same division rule).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.activities.models import Outcome
from yunghap.matching.models import Posting
from yunghap.matching.recommend import MatchFilters, recommend_for_need
from yunghap.network.models import Firm
from yunghap.programmes.models import Agreement, ConsortiumMember

from .mentoring import eligible_senior_ids

LIMIT = 20
# What one matched term in a senior's record adds to its matching score.
RECORD_WEIGHT = 1.0


@dataclass
class Suggestion:
    firm: Any
    score: float
    reasons: list[str] = field(default_factory=list)
    record: list[str] = field(default_factory=list)  # what the senior has done, in Korean


def junior_terms(junior: Firm) -> list[str]:
    needs = (
        Posting.objects.needs()
        .open(timezone.localdate())
        .filter(firm=junior, review_status=Posting.ReviewStatus.APPROVED)
    )
    terms: list[str] = []
    for need_terms in needs.values_list("terms", flat=True):
        terms += list(need_terms or [])
    return list(dict.fromkeys(t for t in terms if t))


def _records(senior_ids: set[int]) -> dict[int, list[tuple[str, set[str]]]]:
    """Per senior: (a Korean line, its words) for each completed consortium's topic and each result."""
    records: dict[int, list[tuple[str, set[str]]]] = defaultdict(list)
    done = (
        ConsortiumMember.objects.filter(firm_id__in=senior_ids, state=ConsortiumMember.State.ACCEPTED)
        .filter(
            consortium__application__agreement__status__in=[Agreement.Status.ENDED, Agreement.Status.SETTLED]
        )
        .values_list(
            "firm_id",
            "consortium__application__title",
            "consortium__application__topic__title",
            "consortium__application__topic__capabilities__name",
        )
    )
    lines: dict[tuple[int, str], set[str]] = defaultdict(set)
    for firm_id, title, topic_title, capability in done:
        line = _("완료한 협력체: %(title)s") % {"title": topic_title or title}
        words = lines[firm_id, line]
        words |= set((title or "").split()) | set((topic_title or "").split())
        if capability:
            words.add(capability)
    through = Outcome.firms.through.objects.filter(outcome__deleted_at__isnull=True, firm_id__in=senior_ids)
    for firm_id, title in through.values_list("firm_id", "outcome__title"):
        line = _("융합기술개발 실적: %(title)s") % {"title": title}
        lines[firm_id, line] |= set((title or "").split())
    for (firm_id, line), words in lines.items():
        records[firm_id].append((line, words))
    return records


def _meets(words: set[str], terms: list[str]) -> int:
    return sum(1 for t in terms if any(t in w or w in t for w in words if len(w) >= 2))


def suggest_mentors(
    junior: Firm, *, viewer: Any, include_same_industry: bool = False
) -> tuple[list[Suggestion], str]:
    """(suggestions best first, a hint when there are none)."""
    terms = junior_terms(junior)
    if not terms:
        return [], _("후배 기업에 마감되지 않은 승인된 기술 수요가 없어 추천할 선배 기업이 없습니다.")
    probe = Posting(
        kind=Posting.Kind.NEED, title=junior.name, terms=terms, firm=junior, analysed_at=timezone.now()
    )
    results = recommend_for_need(
        probe, top=200, filters=MatchFilters(include_same_industry=include_same_industry), viewer=viewer
    )
    by_id = {r.firm.pk: r for r in results}
    seniors = eligible_senior_ids(None)
    seniors.discard(junior.pk)
    candidates = Firm.objects.filter(pk__in=seniors, status=Firm.Status.ACTIVE).select_related("industry")
    if not include_same_industry:
        candidates = candidates.exclude(industry__code=junior.industry.code)
    firms = {f.pk: f for f in candidates}
    records = _records(set(firms))
    suggestions: list[Suggestion] = []
    for pk, firm in firms.items():
        rec = by_id.get(pk)
        met = [(line, _meets(words, terms)) for line, words in records.get(pk, [])]
        boost = RECORD_WEIGHT * sum(n for _line, n in met)
        if rec is None and boost == 0:
            continue
        suggestions.append(
            Suggestion(
                firm=firm,
                score=(rec.score if rec is not None else 0.0) + boost,
                reasons=[str(r) for r in rec.reasons] if rec is not None else [],
                record=[line for line, _n in met],
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.firm.name, s.firm.pk))
    kept = suggestions[:LIMIT]
    hint = (
        ""
        if kept
        else (results.hint or _("조건에 맞는 선배 기업이 아직 없습니다. 같은 업종 포함을 켜 보세요."))
    )
    return kept, hint
