"""Matching quality on a seeded synthetic world with known ground truth, matcher vs a similarity baseline.

    .venv/bin/python bench/matching_eval.py [--seed 2009] [--firms-per-division 60]

The world: 32 capabilities in 8 KSIC divisions, each with 4 Korean/English surface forms. Firms hold
capabilities (mostly of their own division) and need 2–3 of other divisions (convergence recipes).
Text is written the way firms write: particles, spacing variants, a typo in one mention of ten, and
unrelated sentences. Same-division look-alikes (traps) write almost the seeker's own text.
The matcher's vocabulary lists only 2 of the 4 surface forms ("held out": the other two occur only in
the text); a second run with the full vocabulary shows what the held-out forms cost.
Gain of a candidate = how many of the seeker's needs it holds, 0 for the seeker's own division.
Baseline: TF-IDF cosine between the seeker's need text and each firm's whole text, whitespace tokens.

Second part, `self-described needs`: a need often says what the seeker makes as well as what it needs
("비전검사 장비를 만드는데 CNC 가공과 사출 성형 협력사를 찾습니다"). Each seeker writes one need naming 1–2
of its own capabilities (its product) and all it needs, in one of several phrasings; the world gains two
look-alikes of each seeker's product per seeker, of another division (so the division filter keeps them)
and holding none of its needs (gain 0): the traps a matcher falls into when it weighs the seeker's own
words. Phrasings come in two sets: `tuning` (looked at while writing the need/self split) and `held-out`
(written beforehand and never used to tune); nDCG@10 is reported for each, with the whole text as the
query (before) and with the split (after).
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from yunghap.matching import analysis  # noqa: E402
from yunghap.matching.analysis import analyse_text  # noqa: E402
from yunghap.matching.index import FirmRecord, MatchIndex, Query  # noqa: E402
from yunghap.matching.vocabulary import Vocabulary  # noqa: E402

CAPABILITIES = {
    26: [
        ["센서", "감지기", "센싱 소자", "sensor"],
        ["인쇄회로기판", "PCB", "회로 기판", "피씨비"],
        ["임베디드 소프트웨어", "펌웨어", "임베디드 SW", "firmware"],
        ["디스플레이 패널", "표시장치", "LCD 모듈", "디스플레이"],
    ],
    29: [
        ["금형 제작", "몰드", "금형", "mold"],
        ["CNC 가공", "정밀 가공", "절삭 가공", "머시닝"],
        ["자동화 설비", "공장 자동화", "FA 설비", "자동화 라인"],
        ["산업용 로봇", "로봇 팔", "로봇암", "매니퓰레이터"],
    ],
    22: [
        ["사출 성형", "플라스틱 성형", "인젝션", "사출"],
        ["복합 소재", "탄소섬유 복합재", "CFRP", "복합재료"],
        ["고무 부품", "실리콘 고무", "가스켓", "패킹"],
        ["기능성 필름", "필름 코팅", "보호 필름", "코팅 필름"],
    ],
    20: [
        ["접착제", "본드", "접착 소재", "점착제"],
        ["도료", "페인트", "코팅제", "도장 재료"],
        ["세정제", "세척제", "클리너", "탈지제"],
        ["촉매", "촉매제", "반응 촉매", "catalyst"],
    ],
    62: [
        ["빅데이터 분석", "데이터 마이닝", "데이터 분석", "분석 플랫폼"],
        ["인공지능", "AI", "머신러닝", "딥러닝"],
        ["클라우드 서버", "SaaS", "클라우드", "클라우드 플랫폼"],
        ["모바일 앱", "스마트폰 앱", "애플리케이션", "앱 개발"],
    ],
    24: [
        ["열처리", "담금질", "열처리 공정", "소둔"],
        ["다이캐스팅", "주조", "주물", "정밀주조"],
        ["전기도금", "도금", "아연도금", "표면처리"],
        ["레이저 용접", "용접", "용접 가공", "웰딩"],
    ],
    28: [
        ["배터리 팩", "이차전지 팩", "배터리 모듈", "전지팩"],
        ["BLDC 모터", "전동기", "구동 모터", "모터"],
        ["인버터", "전력 변환 장치", "컨버터", "파워 모듈"],
        ["LED 조명", "엘이디 조명", "조명 기구", "LED 램프"],
    ],
    73: [
        ["신뢰성 시험", "시험 인증", "성능 시험", "인증 시험"],
        ["제품 디자인", "산업 디자인", "외관 디자인", "디자인 설계"],
        ["특허 출원", "지식재산", "IP 컨설팅", "특허"],
        ["시제품 제작", "프로토타입", "목업", "3D 프린팅 시제품"],
    ],
}
LISTED_FORMS = 2  # the matcher's vocabulary knows these; the rest are held out

INTROS = [
    "당사는 {y}년에 설립된 중소기업입니다.",
    "저희 회사는 수도권에 공장을 두고 있습니다.",
    "{y}년부터 대기업 협력사로 납품하고 있습니다.",
    "직원 {n}명 규모의 제조 기업입니다.",
]
FILLERS = [
    "품질경영 인증을 받았습니다.",
    "해외 수출도 준비하고 있습니다.",
    "납기를 잘 지키는 것이 장점입니다.",
    "연구소를 운영하고 있습니다.",
    "올해 신제품 출시를 준비 중입니다.",
    "지역 교류회에서 활동합니다.",
]
OFFER_TEMPLATES = [
    "{a}{obj} 전문으로 합니다.",
    "{a} 분야에서 오랜 경험이 있습니다.",
    "{a}{subj} 가능합니다.",
    "주력은 {a}입니다.",
    "{a}{obj} 제공할 수 있습니다.",
]
NEED_TEMPLATES = [
    "{a}{obj} 해 줄 업체를 찾습니다.",
    "{a}{subj} 필요합니다.",
    "{a} 협력사를 구합니다.",
    "신제품에 {a}{obj} 적용하고 싶습니다.",
    "{a} 기술이 있는 파트너를 원합니다.",
]
SIMILAR_VOWELS = {
    "ㅓ": "ㅗ",
    "ㅗ": "ㅓ",
    "ㅐ": "ㅔ",
    "ㅔ": "ㅐ",
    "ㅏ": "ㅑ",
    "ㅣ": "ㅢ",
    "ㅜ": "ㅡ",
    "ㅡ": "ㅜ",
}
JUNG = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"


def has_batchim(word: str) -> bool:
    ch = word[-1]
    if "가" <= ch <= "힣":
        return (ord(ch) - 0xAC00) % 28 != 0
    return ch.lower() in "lmnr"


def typo(word: str, rng: random.Random) -> str:
    """One vowel swapped for a look-alike in a word of 3+ syllables (the typos firms make)."""
    spots = [i for i, ch in enumerate(word) if "가" <= ch <= "힣"]
    if len(spots) < 3:
        return word
    i = rng.choice(spots)
    code = ord(word[i]) - 0xAC00
    cho, jung, jong = code // 588, (code % 588) // 28, code % 28
    vowel = SIMILAR_VOWELS.get(JUNG[jung])
    if vowel is None:
        return word
    return word[:i] + chr(0xAC00 + cho * 588 + JUNG.index(vowel) * 28 + jong) + word[i + 1 :]


def mention(forms: list[str], rng: random.Random) -> str:
    form = rng.choice(forms)
    if " " in form and rng.random() < 0.5:
        form = form.replace(" ", "")  # 스마트 팩토리 / 스마트팩토리
    elif " " not in form and len(form) >= 4 and "가" <= form[0] <= "힣" and rng.random() < 0.3:
        cut = rng.randint(2, len(form) - 2)
        form = form[:cut] + " " + form[cut:]
    if rng.random() < 0.1:
        form = typo(form, rng)
    return form


def sentence(template: str, forms: list[str], rng: random.Random) -> str:
    a = mention(forms, rng)
    return template.format(a=a, obj="을" if has_batchim(a) else "를", subj="이" if has_batchim(a) else "가")


def build_world(seed: int, per_division: int):
    rng = random.Random(seed)
    cap_forms = {}
    cap_division = {}
    for division, caps in CAPABILITIES.items():
        for forms in caps:
            cap_id = len(cap_forms)
            cap_forms[cap_id] = forms
            cap_division[cap_id] = division
    by_division = {d: [c for c in cap_forms if cap_division[c] == d] for d in CAPABILITIES}
    firms = []
    for division in CAPABILITIES:
        for _i in range(per_division):
            holds = set(rng.sample(by_division[division], rng.randint(1, 3)))
            if rng.random() < 0.25:
                holds.add(rng.choice([c for c in cap_forms if cap_division[c] != division]))
            others = [c for c in cap_forms if cap_division[c] != division]
            needs = set(rng.sample(others, rng.randint(2, 3)))
            firms.append({"id": len(firms) + 1, "division": division, "holds": holds, "needs": needs})
    # Traps: same-division look-alikes of some firms, holding the very capabilities the original needs
    # (a competitor that could supply) and writing nearly its text.
    for original in rng.sample(firms, len(firms) // 6):
        firms.append(
            {
                "id": len(firms) + 1,
                "division": original["division"],
                "holds": set(original["needs"]),
                "needs": set(original["needs"]),
                "trap": True,
            }
        )
    for firm in firms:
        intro = rng.choice(INTROS).format(y=rng.randint(1990, 2008), n=rng.randint(5, 200))
        offer = [intro] + [
            sentence(rng.choice(OFFER_TEMPLATES), cap_forms[c], rng) for c in sorted(firm["holds"])
        ]
        offer.append(rng.choice(FILLERS))
        firm["offer_text"] = " ".join(offer)
        firm["need_texts"] = [
            " ".join([sentence(rng.choice(NEED_TEMPLATES), cap_forms[c], rng), rng.choice(FILLERS)])
            for c in sorted(firm["needs"])
        ]
    return firms, cap_forms


def gains(seeker: dict, firms: list[dict]) -> dict[int, int]:
    return {
        f["id"]: len(seeker["needs"] & f["holds"])
        for f in firms
        if f["id"] != seeker["id"] and f["division"] != seeker["division"]
    }


def ndcg(ranked: list[int], gain: dict[int, int], k: int = 10) -> float:
    dcg = sum((2 ** gain.get(f, 0) - 1) / math.log2(i + 2) for i, f in enumerate(ranked[:k]))
    ideal = sorted(gain.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: list[int], gain: dict[int, int], k: int = 50) -> float:
    relevant = {f for f, g in gain.items() if g > 0}
    return len(relevant & set(ranked[:k])) / min(len(relevant), k) if relevant else 0.0


class Baseline:
    """TF-IDF cosine over whitespace tokens of each firm's whole text: plain similarity search."""

    def __init__(self, firms: list[dict]) -> None:
        self.docs = {
            f["id"]: Counter((f["offer_text"] + " " + " ".join(f["need_texts"])).split()) for f in firms
        }
        df = Counter(t for doc in self.docs.values() for t in doc)
        n = len(self.docs)
        self.idf = {t: math.log((n + 1) / (c + 1)) + 1 for t, c in df.items()}
        self.vectors = {i: self._vector(doc) for i, doc in self.docs.items()}

    def _vector(self, counts: Counter) -> dict[str, float]:
        v = {t: c * self.idf.get(t, 0.0) for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def rank(self, seeker: dict, top: int = 50) -> list[int]:
        q = self._vector(Counter(" ".join(seeker["need_texts"]).split()))
        scores = {
            i: sum(w * v.get(t, 0.0) for t, w in q.items())
            for i, v in self.vectors.items()
            if i != seeker["id"]
        }
        return [i for i, s in sorted(scores.items(), key=lambda kv: -kv[1])[:top] if s > 0]


def evaluate(seed: int, per_division: int, listed: int = LISTED_FORMS) -> None:
    firms, cap_forms = build_world(seed, per_division)
    t0 = time.perf_counter()
    for firm in firms:
        firm["offer_terms"] = analyse_text(firm["offer_text"])
        firm["need_terms"] = [analyse_text(t) for t in firm["need_texts"]]
    analysis_s = time.perf_counter() - t0
    records = [
        FirmRecord(
            f["id"],
            f["division"],
            1,
            "small",
            True,
            f["offer_terms"],
            [t for n in f["need_terms"] for t in n],
        )
        for f in firms
    ]
    division_of = {f["id"]: f["division"] for f in firms}
    seekers = [f for f in firms if not f.get("trap")]
    seekers = random.Random(seed + 1).sample(seekers, min(150, len(seekers)))
    vocabularies = {
        "matcher (held-out forms)": Vocabulary(
            (c, forms[0], forms[:listed]) for c, forms in cap_forms.items()
        ),
        "matcher (full vocabulary)": Vocabulary((c, forms[0], forms) for c, forms in cap_forms.items()),
        "matcher, no vocabulary (BM25 over Kiwi terms)": Vocabulary([]),
    }
    rows = []
    for label, vocabulary in vocabularies.items():
        index = MatchIndex(records, vocabulary)
        runs = []
        for seeker in seekers:
            hits = index.search(
                "supply",
                [Query(t) for t in seeker["need_terms"]],
                top=50,
                exclude_firms=[seeker["id"]],
                exclude_division=seeker["division"],
            )
            runs.append((seeker, [h.firm_id for h in hits]))
        rows.append((label, runs))
    baseline = Baseline(firms)
    rows.append(("baseline: TF-IDF cosine, whitespace tokens", [(s, baseline.rank(s)) for s in seekers]))
    print(
        f"world: {len(firms)} firms ({sum(1 for f in firms if f.get('trap'))} same-division traps), "
        f"{len(cap_forms)} capabilities x 4 forms ({listed} listed), {len(seekers)} seekers, seed {seed}; "
        f"Kiwi analysis {analysis_s:.1f} s"
    )
    print(f"{'ranker':<48} {'nDCG@10':>8} {'Recall@50':>10} {'cross-industry@10':>18}")
    for label, runs in rows:
        n = [ndcg(r, gains(s, firms)) for s, r in runs]
        rc = [recall(r, gains(s, firms)) for s, r in runs]
        cross = [
            sum(1 for f in r[:10] if division_of[f] != s["division"]) / max(1, len(r[:10])) for s, r in runs
        ]
        print(
            f"{label:<48} {sum(n) / len(n):>8.3f} {sum(rc) / len(rc):>10.3f} {sum(cross) / len(cross):>18.1%}"
        )


# Needs that describe the seeker's own product first. `{own}` = the seeker's product, `{needs}` = what it
# needs (joined with 과/와); `{own_obj}`/`{own_subj}`/`{needs_obj}`/`{needs_subj}` are the particles.
TUNING_PHRASINGS = [
    "{own}{own_obj} 만드는데 {needs} 협력사를 찾습니다.",
    "저희는 {own}{own_obj} 생산하는 업체로서 {needs}{needs_subj} 필요합니다.",
    "{own} 제조사입니다. {needs} 협력업체 구합니다.",
    "{own}{own_obj} 개발하고 있는데 {needs}{needs_subj} 가능한 업체를 찾습니다.",
    "{own}{own_obj} 생산하는 저희는 {needs} 파트너를 구합니다.",
    "당사는 {own} 전문 기업으로서, {needs}{needs_obj} 맡아 줄 협력사가 필요합니다.",
]
HELD_OUT_PHRASINGS = [
    "당사는 {own} 전문 제조 기업이며, 이번에 {needs}{needs_obj} 맡길 곳을 찾고 있습니다.",
    "{own}{own_obj} 주력으로 생산하고 있습니다. 신규 과제에 {needs}{needs_subj} 필요해 협력사를 구합니다.",
    "우리 회사는 {own}{own_obj} 판매하는 회사인데요, {needs} 업체를 소개받고 싶습니다.",
    "{own} 제조 전문 업체로서 {needs} 분야 파트너를 모집합니다.",
    "{own}{own_obj} 납품하는 중소기업입니다. {needs} 가능한 협력사 있으면 연락 주세요.",
]


def joined(mentions: list[str]) -> str:
    out = mentions[0]
    for m in mentions[1:]:
        out += ("과 " if has_batchim(out) else "와 ") + m
    return out


def self_described_world(seed: int, per_division: int):
    """The world plus, for 150 seekers, a need that names their own product and two look-alikes of it."""
    firms, cap_forms = build_world(seed, per_division)
    rng = random.Random(seed + 7)
    cap_division: dict[int, int] = {}
    cap_id = 0
    for division, caps in CAPABILITIES.items():
        for _forms in caps:
            cap_division[cap_id] = division
            cap_id += 1
    seekers = [f for f in firms if not f.get("trap")]
    seekers = random.Random(seed + 1).sample(seekers, min(150, len(seekers)))
    for seeker in seekers:
        own = sorted(c for c in seeker["holds"] if cap_division[c] == seeker["division"])
        seeker["own"] = set(rng.sample(own, min(len(own), rng.randint(1, 2))))
        seeker["own_mentions"] = [mention(cap_forms[c], rng) for c in sorted(seeker["own"])]
        seeker["need_mentions"] = [mention(cap_forms[c], rng) for c in sorted(seeker["needs"])]
        others = [d for d in CAPABILITIES if d != seeker["division"]]
        for _i in range(2):
            lookalike = {
                "id": len(firms) + 1,
                "division": rng.choice(others),
                "holds": set(seeker["own"]),
                "needs": set(rng.sample([c for c in cap_forms if c not in seeker["needs"]], 2)),
                "lookalike_of": seeker["id"],
            }
            intro = rng.choice(INTROS).format(y=rng.randint(1990, 2008), n=rng.randint(5, 200))
            lookalike["offer_text"] = " ".join(
                [intro]
                + [sentence(rng.choice(OFFER_TEMPLATES), cap_forms[c], rng) for c in sorted(seeker["own"])]
                + [rng.choice(FILLERS)]
            )
            lookalike["need_texts"] = [
                sentence(rng.choice(NEED_TEMPLATES), cap_forms[c], rng) for c in sorted(lookalike["needs"])
            ]
            firms.append(lookalike)
    return firms, cap_forms, seekers


def phrase(template: str, seeker: dict) -> str:
    own = joined(seeker["own_mentions"])
    needs = joined(seeker["need_mentions"])
    return template.format(
        own=own,
        needs=needs,
        own_obj="을" if has_batchim(own) else "를",
        own_subj="이" if has_batchim(own) else "가",
        needs_obj="을" if has_batchim(needs) else "를",
        needs_subj="이" if has_batchim(needs) else "가",
    )


def need_queries(text: str, split: bool) -> list[Query]:
    """The query of one need text: the whole text (before), or sought terms with the self-description to
    avoid (after, when the analyser has `analyse_need`)."""
    if split and hasattr(analysis, "analyse_need"):
        parts = analysis.analyse_need(text)
        return [Query(parts.sought, avoid=parts.own)]
    return [Query(analyse_text(text))]


def evaluate_self_described(seed: int, per_division: int, listed: int = LISTED_FORMS) -> dict[str, float]:
    firms, cap_forms, seekers = self_described_world(seed, per_division)
    for firm in firms:
        firm["offer_terms"] = analyse_text(firm["offer_text"])
        firm["need_terms"] = [analyse_text(t) for t in firm["need_texts"]]
    records = [
        FirmRecord(
            f["id"],
            f["division"],
            1,
            "small",
            True,
            f["offer_terms"],
            [t for n in f["need_terms"] for t in n],
        )
        for f in firms
    ]
    index = MatchIndex(records, Vocabulary((c, forms[0], forms[:listed]) for c, forms in cap_forms.items()))
    lookalikes = {f["id"]: f["lookalike_of"] for f in firms if f.get("lookalike_of")}
    print(
        f"\nself-described needs: {len(seekers)} seekers, {len(lookalikes)} look-alikes of their products "
        f"(other divisions, gain 0), {listed} of 4 forms listed"
    )
    print(f"{'phrasings':<12} {'query':<28} {'nDCG@10':>8} {'own look-alikes@10':>19}")
    figures = {}
    ceiling = []
    for seeker in seekers:
        hits = index.search(
            "supply",
            need_queries(phrase("{needs} 협력사를 찾습니다.", seeker), False),
            top=50,
            exclude_firms=[seeker["id"]],
            exclude_division=seeker["division"],
        )
        ceiling.append(ndcg([h.firm_id for h in hits], gains(seeker, firms)))
    print(f"{'reference':<12} {'the needs alone':<28} {sum(ceiling) / len(ceiling):>8.3f}")
    for label, phrasings in (("tuning", TUNING_PHRASINGS), ("held-out", HELD_OUT_PHRASINGS)):
        for split in (False, True):
            scores, traps = [], []
            for seeker in seekers:
                gain = gains(seeker, firms)
                for template in phrasings:
                    hits = index.search(
                        "supply",
                        need_queries(phrase(template, seeker), split),
                        top=50,
                        exclude_firms=[seeker["id"]],
                        exclude_division=seeker["division"],
                    )
                    ranked = [h.firm_id for h in hits]
                    scores.append(ndcg(ranked, gain))
                    traps.append(sum(1 for f in ranked[:10] if lookalikes.get(f) == seeker["id"]))
            name = "need/self split (after)" if split else "whole text (before)"
            figures[f"{label} {name}"] = sum(scores) / len(scores)
            print(
                f"{label:<12} {name:<28} {sum(scores) / len(scores):>8.3f} {sum(traps) / len(traps):>19.2f}"
            )
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=2009)
    parser.add_argument("--firms-per-division", type=int, default=60)
    parser.add_argument(
        "--listed", type=int, default=LISTED_FORMS, help="surface forms the matcher knows (of 4)"
    )
    parser.add_argument("--part", choices=["all", "world", "self"], default="all")
    args = parser.parse_args()
    if args.part in ("all", "world"):
        evaluate(args.seed, args.firms_per_division, args.listed)
    if args.part in ("all", "self"):
        evaluate_self_described(args.seed, args.firms_per_division, args.listed)
