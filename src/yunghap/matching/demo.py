"""Demo data of the matching app (called by `yunghap demo` after the network exists).

A capability vocabulary built from the technologies the demo firms hold (with the other names firms use
for them and English terms), a few hundred offers and needs written the way firms write, and the
analysis of every posting and firm profile, so that recommendations work right after the demo.
Expiry dates count from the day the demo runs, so that the postings are open when people try it.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from collections import defaultdict
from typing import Any

from django.utils import timezone

from yunghap.core.audit import record_bulk_change
from yunghap.network.demo_data import DIVISIONS
from yunghap.network.models import Firm, Industry

from .analysis import get_kiwi, terms_from_tokens
from .models import Capability, FirmProfileAnalysis, Posting
from .vocabulary import Vocabulary

# Other names firms use for some technologies (Korean variants first, then English).
SYNONYMS: dict[str, tuple[list[str], list[str]]] = {
    "CNC 가공": (["정밀 가공", "머시닝", "절삭 가공"], ["CNC", "machining"]),
    "금형": (["금형 제작", "몰드", "금형 설계"], ["mold"]),
    "프레스 금형": (["프레스 몰드", "순차이송 금형"], []),
    "사출 성형": (["사출", "플라스틱 사출", "인젝션"], ["injection molding"]),
    "용접": (["레이저 용접", "용접 가공", "웰딩"], ["welding"]),
    "도금": (["전기도금", "표면처리", "아연도금"], ["plating"]),
    "열처리": (["담금질", "열처리 공정"], ["heat treatment"]),
    "주조": (["다이캐스팅", "주물", "정밀 주조"], ["casting"]),
    "센서": (["감지기", "센서 모듈", "센싱"], ["sensor"]),
    "PCB 설계": (["인쇄회로기판", "회로기판", "PCB"], ["PCB"]),
    "IoT 모듈": (["사물인터넷", "IoT 통신"], ["IoT"]),
    "임베디드 SW": (["임베디드 소프트웨어", "펌웨어"], ["firmware", "embedded"]),
    "자동화 설비": (["공장 자동화", "FA 설비", "자동화 라인"], ["FA"]),
    "로봇 응용": (["산업용 로봇", "로봇 팔", "협동로봇"], ["robot"]),
    "유공압 제어": (["공압 제어", "유압 제어"], ["PLC"]),
    "스마트팩토리 솔루션": (["스마트 공장", "스마트팩토리", "MES 구축"], ["smart factory"]),
    "MES": (["생산관리시스템", "생산 관리 시스템"], ["MES"]),
    "AI 비전": (["머신비전", "비전 검사", "영상 검사"], ["machine vision", "AI"]),
    "빅데이터 분석": (["데이터 분석", "데이터 마이닝"], ["big data"]),
    "클라우드 구축": (["클라우드", "클라우드 서버"], ["cloud", "SaaS"]),
    "모바일 앱": (["스마트폰 앱", "앱 개발"], ["app"]),
    "배터리 팩": (["이차전지 팩", "배터리 모듈", "전지팩"], ["battery pack"]),
    "모터 제어": (["모터 드라이브", "구동 모터"], ["BLDC", "motor control"]),
    "전력변환": (["인버터", "컨버터", "전력 변환 장치"], ["inverter"]),
    "3D 프린팅": (["적층 제조", "3D 프린터 출력"], ["3D printing"]),
    "제품 디자인": (["산업 디자인", "외관 디자인"], ["product design"]),
    "시제품 개발": (["시제품 제작", "프로토타입", "목업"], ["prototype"]),
    "특허 출원": (["지식재산", "특허"], ["IP"]),
    "접착제 배합": (["접착제", "본드", "점착제"], []),
    "도료 배합": (["도료", "페인트", "코팅제"], ["paint"]),
    "정밀 계측": (["계측", "측정 장비"], []),
    "비전 검사": (["외관 검사", "검사 장비"], ["vision inspection"]),
    "기능성 원단": (["기능성 섬유", "코팅 원단"], []),
    "경량화 소재": (["경량 소재", "복합 소재", "탄소섬유"], ["CFRP"]),
    "시험 분석": (["신뢰성 시험", "성능 시험", "시험 인증"], []),
    "인증 컨설팅": (["인증 취득", "ISO 인증"], ["ISO"]),
}

OFFER_TEMPLATES = [
    "{tech}{obj} 전문으로 하는 회사입니다. {extra}",
    "저희는 {tech} 분야에서 {years}년 경험이 있습니다. {extra}",
    "{tech} 설비를 보유하고 있어 소량 주문도 가능합니다.",
    "{tech}{subj} 강점입니다. 협력할 업체를 찾습니다.",
]
NEED_TEMPLATES = [
    "신제품 개발에 {tech}{subj} 필요합니다. {extra}",
    "{tech}{obj} 맡아 줄 협력사를 찾습니다.",
    "{product}에 {tech}{obj} 적용하고 싶습니다. 경험 있는 업체 연락 바랍니다.",
    "{tech} 기술을 가진 파트너와 공동 개발을 희망합니다.",
]
EXTRAS = ["납기 대응이 빠릅니다.", "품질 인증을 보유하고 있습니다.", "수출 제품도 다룹니다.", "", ""]


def _batchim(word: str) -> bool:
    ch = word[-1]
    return "가" <= ch <= "힣" and (ord(ch) - 0xAC00) % 28 != 0


def _phrase(template: str, tech: str, product: str, rng: random.Random) -> str:
    text = template.format(
        tech=tech,
        obj="을" if _batchim(tech) else "를",
        subj="이" if _batchim(tech) else "가",
        product=product,
        years=rng.randint(5, 30),
        extra=rng.choice(EXTRAS),
    )
    return text.strip()


def build_vocabulary() -> list[Capability]:
    holders: dict[str, set[str]] = defaultdict(set)
    for code, info in DIVISIONS.items():
        for tech in info["tech"]:
            holders[tech].add(code)
    industries = {i.code: i for i in Industry.objects.all()}
    capabilities = []
    for name in sorted(holders):
        synonyms, english = SYNONYMS.get(name, ([], []))
        capabilities.append(Capability(name=name, synonyms=synonyms, english_terms=english))
    Capability.objects.bulk_create(capabilities, ignore_conflicts=True)
    saved = {c.name: c for c in Capability.objects.filter(name__in=holders)}
    through = Capability.industries.through
    through.objects.bulk_create(
        [
            through(capability_id=saved[name].pk, industry_id=industries[code].pk)
            for name, codes in holders.items()
            for code in codes
            if code in industries
        ],
        ignore_conflicts=True,
    )
    return list(saved.values())


def build_demo(*, seed: int, stdout: Any) -> None:
    rng = random.Random(seed * 7 + 4)
    capabilities = build_vocabulary()
    firms = list(
        Firm.objects.filter(status=Firm.Status.ACTIVE)
        .select_related("industry")
        .order_by("id")
        .only("id", "industry__code", "technologies", "products")
    )
    today = timezone.localdate()
    all_tech = sorted({t for info in DIVISIONS.values() for t in info["tech"]})
    postings = []
    for firm in rng.sample(firms, min(len(firms), 360)):
        own = list(firm.technologies or []) or DIVISIONS.get(firm.industry.code, {}).get("tech", [])
        products = list(firm.products or []) or ["신제품"]
        if own and rng.random() < 0.7:
            tech = rng.choice(own)
            postings.append(
                Posting(
                    firm=firm,
                    kind=Posting.Kind.OFFER,
                    title=f"{tech} 제공",
                    description=_phrase(rng.choice(OFFER_TEMPLATES), tech, rng.choice(products), rng),
                    keywords=[tech],
                    industry_id=firm.industry_id,
                    expires_on=today + datetime.timedelta(days=rng.randint(30, 240)),
                    visibility=Posting.Visibility.NETWORK,
                    review_status=Posting.ReviewStatus.APPROVED,
                )
            )
        foreign = [
            t
            for t in all_tech
            if t not in own and t not in DIVISIONS.get(firm.industry.code, {}).get("tech", [])
        ]
        for tech in rng.sample(foreign, rng.randint(1, 2)):
            postings.append(
                Posting(
                    firm=firm,
                    kind=Posting.Kind.NEED,
                    title=f"{tech} 협력 업체 구함",
                    description=_phrase(rng.choice(NEED_TEMPLATES), tech, rng.choice(products), rng),
                    keywords=[],
                    industry_id=firm.industry_id,
                    expires_on=today + datetime.timedelta(days=rng.randint(30, 240)),
                    visibility=rng.choice([Posting.Visibility.NETWORK, Posting.Visibility.COORDINATORS]),
                    review_status=rng.choice(
                        [Posting.ReviewStatus.APPROVED] * 3 + [Posting.ReviewStatus.PENDING]
                    ),
                )
            )
    walkthrough = _walkthrough_postings(rng, firms, today)
    postings += walkthrough
    now = timezone.now()
    texts = [p.text for p in postings]
    for posting, terms in zip(postings, _analyse_many(texts), strict=True):
        posting.terms = terms
        posting.analysed_at = now
    Posting.objects.bulk_create(postings, batch_size=500)
    vocabulary = Vocabulary.from_db()
    through = Posting.capabilities.through
    created = Posting.objects.filter(analysed_at=now).values_list("id", "terms")
    through.objects.bulk_create(
        [
            through(posting_id=pk, capability_id=cap)
            for pk, terms in created
            for cap in vocabulary.capabilities_of(terms)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
    with_profile = [f for f in firms if f.technologies or f.products]
    profile_texts = ["\n".join([*(f.technologies or []), *(f.products or [])]) for f in with_profile]
    FirmProfileAnalysis.objects.bulk_create(
        [
            FirmProfileAnalysis(
                firm=firm, source_hash=hashlib.sha256(text.encode()).hexdigest(), terms=terms, analysed_at=now
            )
            for firm, text, terms in zip(
                with_profile, profile_texts, _analyse_many(profile_texts), strict=True
            )
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    record_bulk_change(
        None,
        "matching.demo",
        "matching.posting",
        {"capabilities": len(capabilities), "postings": len(postings)},
    )
    if walkthrough:
        stdout.write(f"  시연 흐름용 게시글 {len(walkthrough):,}건 (firm의 기술 수요와 파트너, 검토 대기)")
    stdout.write(
        f"기술파트너 매칭: 역량 어휘 {len(capabilities):,}개, 기술 제공·수요 게시글 {len(postings):,}건, "
        f"회원사 보유기술 분석 {len(with_profile):,}건"
    )


def _walkthrough_postings(rng: random.Random, firms: list[Firm], today: datetime.date) -> list[Posting]:
    """Postings that let every matching flow be walked with the printed logins:

    - the demo firm (login `firm`) has two approved needs of technologies its industry lacks, and firms of
      other industries offer exactly those (approved offers), so its needs have good partners;
    - postings wait for review in the queue of `coordinator` (firms of its groups) and of `seoul` (Seoul
      firms no coordinator covers).
    """
    from yunghap.accounts.models import Role, RoleGrant
    from yunghap.network.models import Membership

    from . import review

    grant = (
        RoleGrant.objects.filter(user__username="firm", role=Role.FIRM_USER).select_related("firm").first()
    )
    if grant is None or grant.firm is None:
        return []
    firm = grant.firm
    division = firm.industry.code
    own = set(firm.technologies or []) | set(DIVISIONS.get(division, {}).get("tech", []))
    by_tech: dict[str, list[Firm]] = defaultdict(list)
    for other in firms:
        if other.pk != firm.pk and other.industry.code != division:
            for tech in other.technologies or []:
                by_tech[tech].append(other)
    wanted = [t for t in sorted(by_tech) if t not in own and len(by_tech[t]) >= 3]
    products = list(firm.products or []) or ["신제품"]
    postings: list[Posting] = []
    expires = today + datetime.timedelta(days=180)
    for tech in rng.sample(wanted, min(2, len(wanted))):
        product = rng.choice(products)
        postings.append(
            Posting(
                firm=firm,
                kind=Posting.Kind.NEED,
                title=f"{product} 개발 {tech} 협력사 구함",
                description=f"{product}의 다음 모델을 개발하고 있어 {tech} 경험이 있는 협력사를 찾습니다.",
                keywords=[tech],
                industry_id=firm.industry_id,
                expires_on=expires,
                visibility=Posting.Visibility.NETWORK,
                review_status=Posting.ReviewStatus.APPROVED,
            )
        )
        for partner in rng.sample(by_tech[tech], 3):
            postings.append(
                Posting(
                    firm=partner,
                    kind=Posting.Kind.OFFER,
                    title=f"{tech} 협력 제공",
                    description=f"{tech} 설비와 경험을 갖추고 있습니다. {tech} 협력이 필요한 기업을 돕습니다.",
                    keywords=[tech],
                    industry_id=partner.industry_id,
                    expires_on=expires,
                    visibility=Posting.Visibility.NETWORK,
                    review_status=Posting.ReviewStatus.APPROVED,
                )
            )
    # Waiting for review: firms of the coordinator's groups, then Seoul firms no coordinator covers.
    coordinated = RoleGrant.objects.filter(user__username="coordinator", role=Role.COORDINATOR).values(
        "group_id"
    )
    current = Membership.objects.current()
    caseload = list(
        current.filter(group_id__in=coordinated)
        .exclude(firm=firm)
        .order_by("firm_id")
        .values_list("firm_id", flat=True)
    )
    uncovered = list(
        current.filter(group__federation__code="seoul")
        .exclude(firm_id__in=review.covered_firm_ids())
        .order_by("firm_id")
        .values_list("firm_id", flat=True)
        .distinct()
    )
    by_id = {f.pk: f for f in firms}
    for firm_ids in (caseload, uncovered):
        chosen = [by_id[i] for i in dict.fromkeys(firm_ids) if i in by_id][:40]
        for other in rng.sample(chosen, min(3, len(chosen))):
            tech = rng.choice(list(other.technologies or []) or ["시제품 개발"])
            postings.append(
                Posting(
                    firm=other,
                    kind=Posting.Kind.OFFER,
                    title=f"{tech} 제공 (검토 대기)",
                    description=f"{tech}{'을' if _batchim(tech) else '를'} 제공합니다. 코디네이터 검토를 기다립니다.",
                    keywords=[tech],
                    industry_id=other.industry_id,
                    expires_on=expires,
                    visibility=Posting.Visibility.NETWORK,
                    review_status=Posting.ReviewStatus.PENDING,
                )
            )
    return postings


def _analyse_many(texts: list[str]) -> list[list[str]]:
    """Kiwi's batch mode: one call for many short texts is several times faster than one call each."""
    if not texts:
        return []
    kiwi = get_kiwi()
    results = kiwi.tokenize(texts)
    return [terms_from_tokens([(t.form, t.tag, t.start, t.len) for t in tokens]) for tokens in results]
