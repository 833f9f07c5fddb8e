"""Recommendations: partners of other industries whose offers cover a need (or who need an offer), explained.

Entry points (all return `Recommendations`, a list of `Recommendation` best first, with `.hint` set to a
Korean sentence when the list is empty for a reason the user can act on):

    recommend_for_need(posting, *, top=20, filters=None, viewer=None)
    recommend_for_offer(posting, *, top=20, filters=None, viewer=None)
    recommend_for_posting(posting, ...)          # either kind
    recommend_for_firm(firm, *, top=20, filters=None, viewer=None)   # all the firm's open needs together
    recommend_for_text(text, *, kind="need", firm=None, ...)         # free text; loads Kiwi

Ranking is complementarity, not similarity: a need is answered from the supply side of the index (what
firms offer), by capability coverage plus BM25 over the need's terms; firms of the same KSIC division are
left out unless `filters.include_same_industry`, and so are declared conflicts (either direction), closed
firms and expired postings. A `Recommendation` never carries contact data.

Only approved postings are candidates (a pending posting is never shown to other firms, not even as a
reason). Reasons quote the title of a posting only if whoever reads them may see it: with `viewer`, the
postings `Posting.objects.visible_to(viewer)` returns; with `viewer=PARTIES` (the reasons kept on an
introduction, which both firms read), only postings shared with the network; without a viewer (the
command line, run by staff) every approved posting. Any other posting is named generically.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from yunghap.core.messages_catalogue import Message

from .index import Hit, Query
from .models import Conflict, FirmProfileAnalysis, Posting

# The audience of an introduction's reasons: the two firms, who see of each other only what is shared.
PARTIES = object()


@dataclass
class MatchFilters:
    regions: Sequence[int] = ()  # federation ids
    size_classes: Sequence[str] = ()  # yunghap.network.models.SIZE_CLASSES codes
    include_same_industry: bool = False
    exclude_conflicts: bool = True


@dataclass
class Recommendation:
    firm: Any
    score: float
    reasons: list[Message]  # str in today's language; `.as_data()` is what an introduction keeps
    matched_terms: list[str]
    capabilities: list[str]
    industry_pair: str
    shares_group: bool
    shared_groups: list[str]
    same_region: bool
    region: str
    postings: list[int] = field(default_factory=list)  # the partner's postings that matched
    covers: list[int] = field(default_factory=list)  # the asking firm's postings this partner answers

    def as_dict(self) -> dict[str, Any]:
        return {
            "brn": self.firm.brn,
            "name": self.firm.name,
            "score": round(self.score, 4),
            "reasons": [str(r) for r in self.reasons],
            "reason_codes": [r.as_data() for r in self.reasons],
            "matched_terms": self.matched_terms,
            "capabilities": self.capabilities,
            "industry_pair": self.industry_pair,
            "shares_group": self.shares_group,
            "shared_groups": self.shared_groups,
            "same_region": self.same_region,
            "region": self.region,
            "size_class": self.firm.size_class,
            "postings": self.postings,
            "covers": self.covers,
        }


class Recommendations(list):
    hint: str = ""

    def __init__(self, items: Iterable[Recommendation] = (), hint: str = "") -> None:
        super().__init__(items)
        self.hint = hint


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def _conflicting(firm_id: int) -> set[int]:
    pairs = Conflict.objects.filter(Q(firm_id=firm_id) | Q(competitor_id=firm_id)).values_list(
        "firm_id", "competitor_id"
    )
    return {a if b == firm_id else b for a, b in pairs}


def recommend_for_posting(posting: Posting, **kwargs: Any) -> Recommendations:
    if posting.kind == Posting.Kind.NEED:
        return recommend_for_need(posting, **kwargs)
    return recommend_for_offer(posting, **kwargs)


def recommend_for_need(posting: Posting, **kwargs: Any) -> Recommendations:
    return _recommend(posting.firm, [posting], side="supply", **kwargs)


def recommend_for_offer(posting: Posting, **kwargs: Any) -> Recommendations:
    return _recommend(posting.firm, [posting], side="demand", **kwargs)


def recommend_for_firm(firm: Any, **kwargs: Any) -> Recommendations:
    """Partners for all open needs of the firm at once: a partner covering more of them ranks higher."""
    needs = list(Posting.objects.needs().open(_today()).filter(firm=firm).order_by("id"))
    if not needs:
        return Recommendations(hint=_("마감되지 않은 기술 수요가 없습니다. 먼저 기술 수요를 등록해 주세요."))
    return _recommend(firm, needs, side="supply", **kwargs)


def recommend_for_text(
    text: str, *, kind: str = Posting.Kind.NEED, firm: Any = None, **kwargs: Any
) -> Recommendations:
    """Free text as a need (partners who offer it) or an offer (firms who need it). Loads Kiwi."""
    from .analysis import QUERY_MAX_LENGTH, analyse_need, analyse_text

    if kind == Posting.Kind.NEED:
        parts = analyse_need(text, limit=QUERY_MAX_LENGTH)
        terms, own = parts.sought, parts.own
    else:
        terms, own = analyse_text(text, limit=QUERY_MAX_LENGTH), []
    probe = Posting(kind=kind, title=text[:200], terms=terms, own_terms=own, firm=firm)
    side = "supply" if kind == Posting.Kind.NEED else "demand"
    return _recommend(firm, [probe], side=side, analysed=True, **kwargs)


def _recommend(
    firm: Any,
    postings: list[Posting],
    *,
    side: str,
    top: int = 20,
    filters: MatchFilters | None = None,
    viewer: Any = None,
    analysed: bool = False,
) -> Recommendations:
    from .store import get_index

    filters = filters or MatchFilters()
    top = max(1, min(int(top), 200))
    if firm is not None and firm.status != "active":
        return Recommendations(hint=_("폐업한 회원사에는 추천하지 않습니다."))
    if not analysed and all(p.analysed_at is None for p in postings):
        return Recommendations(hint=_("게시글을 분석하는 중입니다. 잠시 뒤 다시 확인해 주세요."))
    open_postings = [p for p in postings if p.pk is None or p.is_open(_today())]
    if not open_postings:
        return Recommendations(hint=_("마감되었거나 기한이 지난 게시글에는 추천하지 않습니다."))
    # A need's self-description (`own_terms`) is what partners should not look like.
    queries = [Query(list(p.terms or []), avoid=list(p.own_terms or [])) for p in open_postings]
    if not any(q.terms for q in queries):
        return Recommendations(
            hint=_(
                "찾을 만한 낱말이 없습니다(‘기술’, ‘필요’ 같은 일반적인 말만 있습니다). 공정·장비·제품 이름을 구체적으로 써 주세요."
            )
        )
    index = get_index()
    exclude = {firm.pk} if firm is not None else set()
    if firm is not None and filters.exclude_conflicts:
        exclude |= _conflicting(firm.pk)
    division = -1
    if firm is not None and not filters.include_same_industry:
        division = int(firm.industry.code) if firm.industry.code.isdigit() else -1
    hits = index.search(
        side,
        queries,
        top=top,
        exclude_firms=exclude,
        exclude_division=division,
        regions=filters.regions,
        sizes=filters.size_classes,
    )
    if not hits:
        return Recommendations(
            hint=_(
                "조건에 맞는 다른 업종의 파트너가 아직 없습니다. 키워드를 더하거나 같은 업종 포함·지역 조건을 바꿔 보세요."
            )
        )
    return Recommendations(_explain(firm, open_postings, hits, side=side, index=index, viewer=viewer))


def _explain(
    firm: Any, asked: list[Posting], hits: list[Hit], *, side: str, index: Any, viewer: Any
) -> list[Recommendation]:
    from yunghap.network.models import Firm, Membership

    ids = [h.firm_id for h in hits]
    firms = Firm.objects.select_related("industry", "federation").in_bulk(ids)
    kind = Posting.Kind.OFFER if side == "supply" else Posting.Kind.NEED
    candidates = Posting.objects.open(_today()).filter(
        firm_id__in=ids, kind=kind, review_status=Posting.ReviewStatus.APPROVED
    )
    quotable = set(quotable_postings(viewer, candidates).values_list("id", flat=True))
    theirs: dict[int, list[tuple[int | None, str, list[str]]]] = {i: [] for i in ids}
    for pk, firm_id, title, terms in candidates.values_list("id", "firm_id", "title", "terms"):
        if pk in quotable:
            theirs[firm_id].append((pk, title, terms or []))
        else:
            theirs[firm_id].append((None, Message.of(UNQUOTABLE[kind]), terms or []))
    asked_ids = [p.pk for p in asked if p.pk]
    quotable_asked = set(
        quotable_postings(viewer, Posting.objects.filter(pk__in=asked_ids)).values_list("id", flat=True)
    )
    asked_titles = {
        id(p): p.title if p.pk is None or p.pk in quotable_asked else Message.of(UNQUOTABLE[p.kind])
        for p in asked
    }
    if side == "supply":
        for firm_id, terms in FirmProfileAnalysis.objects.filter(firm_id__in=ids).values_list(
            "firm_id", "terms"
        ):
            theirs[firm_id].append((None, Message.of("matching.profile"), terms or []))
    groups: dict[int, list[str]] = {}
    if firm is not None:
        own_groups = Membership.objects.current().filter(firm=firm).values("group_id")
        for firm_id, name in (
            Membership.objects.current()
            .filter(group_id__in=own_groups, firm_id__in=ids)
            .values_list("firm_id", "group__name")
        ):
            groups.setdefault(firm_id, []).append(name)
    vocabulary = index.vocabulary
    results = []
    for hit in hits:
        partner = firms.get(hit.firm_id)
        if partner is None:
            continue
        results.append(
            _one(firm, partner, hit.score, asked, asked_titles, theirs[hit.firm_id], groups, vocabulary, side)
        )
    return results


# Message codes (matching/message_codes.py) of a posting the reader may not see, named generically.
UNQUOTABLE: dict[str, str] = {
    Posting.Kind.OFFER: "matching.unshared.offer",
    Posting.Kind.NEED: "matching.unshared.need",
}


def quotable_postings(viewer: Any, postings: Any) -> Any:
    """The approved postings among `postings` whose titles the reasons' reader may see."""
    approved = postings.filter(review_status=Posting.ReviewStatus.APPROVED)
    if viewer is None:
        return approved
    if viewer is PARTIES:
        return approved.filter(visibility__in=[Posting.Visibility.NETWORK, Posting.Visibility.PUBLIC])
    return approved.filter(pk__in=Posting.objects.visible_to(viewer).values("pk"))


def _industry_label(industry: Any) -> str:
    name = industry.name.split(";")[0].strip()
    for suffix in (" 제조업", "업"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    return f"{industry.code} {name}"


def _display_terms(terms: set[str]) -> list[str]:
    """Longest first, without the parts of a longer matched term (`스마트팩토리` hides `스마트`)."""
    kept: list[str] = []
    for term in sorted(terms, key=lambda t: (-len(t), t)):
        if not any(term in longer for longer in kept):
            kept.append(term)
    return kept[:8]


def _one(
    firm: Any,
    partner: Any,
    score: float,
    asked: list[Posting],
    asked_titles: dict[int, str],
    theirs: list[tuple[int | None, str, list[str]]],
    groups: dict[int, list[str]],
    vocabulary: Any,
    side: str,
) -> Recommendation:
    reasons: list[Message] = []
    all_terms: set[str] = set()
    all_caps: dict[int, str] = {}
    matched_postings: list[int] = []
    covers: list[int] = []
    for posting in asked:
        own_terms = set(posting.terms or [])
        own_caps = vocabulary.capabilities_of(own_terms)
        best: tuple[int, int, str, set[int], set[str]] | None = None
        for pk, title, terms in theirs:
            caps = set(own_caps) & set(vocabulary.capabilities_of(terms))
            shared = own_terms & set(terms)
            if caps or shared:
                if pk is not None:
                    matched_postings.append(pk)
                rank = (len(caps), len(shared))
                if best is None or rank > best[:2]:
                    best = (len(caps), len(shared), title, caps, shared)
        if best is None:
            continue
        if posting.pk:
            covers.append(posting.pk)
        _n, _m, title, caps, shared = best
        all_terms |= shared
        for cap in caps:
            all_caps[cap] = vocabulary.names[cap]
        names = sorted(vocabulary.names[c] for c in caps)
        lead = Message.of("matching.lead.need" if side == "supply" else "matching.lead.offer")
        if caps:
            reasons.append(
                Message.of(
                    "matching.reason.capabilities",
                    lead=lead,
                    asked=asked_titles[id(posting)],
                    caps=names,
                    theirs=title,
                )
            )
        else:
            reasons.append(
                Message.of(
                    "matching.reason.shared_words",
                    lead=lead,
                    asked=asked_titles[id(posting)],
                    terms=_display_terms(shared),
                    theirs=title,
                )
            )
    matched_postings = list(dict.fromkeys(matched_postings))
    terms = _display_terms(all_terms)
    if terms:
        reasons.append(Message.of("matching.reason.terms", terms=terms))
    pair = _industry_label(partner.industry)
    if firm is not None:
        pair = f"{_industry_label(firm.industry)} ↔ {pair}"
        if firm.industry_id == partner.industry_id:
            reasons.append(Message.of("matching.reason.same_industry", pair=pair))
        else:
            reasons.append(Message.of("matching.reason.cross_industry", pair=pair))
    shared_groups = sorted(groups.get(partner.pk, []))
    if shared_groups:
        reasons.append(Message.of("matching.reason.shared_groups", groups=shared_groups))
    same_region = firm is not None and firm.federation_id == partner.federation_id
    region = partner.federation.name
    if same_region:
        reasons.append(Message.of("matching.reason.same_region", region=region))
    else:
        reasons.append(Message.of("matching.reason.region", region=region))
    return Recommendation(
        firm=partner,
        score=score,
        reasons=reasons,
        matched_terms=terms,
        capabilities=sorted(all_caps.values()),
        industry_pair=pair,
        shares_group=bool(shared_groups),
        shared_groups=shared_groups,
        same_region=same_region,
        region=region,
        postings=matched_postings,
        covers=covers,
    )
