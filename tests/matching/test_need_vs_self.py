"""A need that says what the seeker makes ranks what it needs, not look-alikes of its own product (issue 8 §6).

"비전검사 장비를 만드는데 CNC 가공과 사출 성형 협력사를 찾습니다": the firm makes vision-inspection equipment
and needs CNC machining and injection moulding. Optics firms that write about vision inspection are
look-alikes of the seeker's product, not partners; the moulders and machinists are.
"""

from __future__ import annotations

import io

import pytest

from tests.factories import FirmFactory, industry
from yunghap.matching.analysis import analyse_need
from yunghap.matching.index import FirmRecord, MatchIndex, Query
from yunghap.matching.recommend import recommend_for_need, recommend_for_text
from yunghap.matching.vocabulary import Vocabulary

from .conftest import NEED, OFFER

EXAMPLE = "비전검사 장비를 만드는데 CNC 가공과 사출 성형 협력사를 찾습니다"

# The same need, written other ways.
PHRASINGS = [
    EXAMPLE,
    "저희는 비전검사 장비를 생산하는 업체로서 CNC 가공과 사출 성형이 필요합니다.",
    "비전검사 장비 제조사입니다. 사출 성형, CNC 가공 협력업체 구합니다.",
    "비전검사 장비를 생산하는 저희는 사출 성형과 CNC 가공 파트너를 찾고 있습니다.",
]

MOULDERS = [
    ("한빛사출", "22", "사출 성형 전문", "가전·자동차 플라스틱 부품을 사출 성형합니다"),
    ("대성플라스틱", "22", "정밀 사출", "사출성형 금형과 양산"),
    ("미래폴리머", "22", "플라스틱 사출 성형", "엔지니어링 플라스틱 사출"),
    ("세진몰딩", "22", "사출 성형 양산", "소형 정밀 사출 부품"),
    ("동양화성", "22", "사출성형 부품", "케이스·커버 사출"),
    ("우진테크", "22", "인서트 사출 성형", "인서트 사출과 조립"),
]
MACHINISTS = [
    ("정밀가공산업", "25", "CNC 가공", "알루미늄 프레임 CNC 가공"),
    ("한국절삭", "25", "정밀가공 전문", "5축 CNC 가공과 절삭가공"),
]
# Optics and vision firms: they write the seeker's own product words.
LOOKALIKES = [
    ("광학비전", "27", "비전검사 장비 광학계", "비전검사 장비용 렌즈와 조명을 공급합니다"),
    ("스마트비전", "27", "머신비전 검사 장비", "비전 검사 장비와 검사 소프트웨어"),
    ("옵틱스코리아", "27", "검사 장비용 광학 렌즈", "비전검사 장비 광학 모듈"),
    ("비전테크", "27", "비전검사 시스템", "비전검사 장비 제작과 설치"),
    ("렌즈월드", "27", "산업용 광학 렌즈", "비전검사 장비 카메라 렌즈"),
    ("아이비전", "27", "비전검사 장비", "외관 비전검사 장비"),
]


@pytest.fixture
def market(db, vocabulary, post):
    seeker = FirmFactory(name="검사장비제작", industry=industry("29"))
    partners, lookalikes = set(), set()
    for group, names in ((MOULDERS + MACHINISTS, partners), (LOOKALIKES, lookalikes)):
        for name, code, title, description in group:
            post(FirmFactory(name=name, industry=industry(code)), OFFER, title, description)
            names.add(name)
    return seeker, partners, lookalikes


def test_the_need_is_split_from_what_the_seeker_makes():
    parts = analyse_need(EXAMPLE)
    assert {"cnc가공", "사출성형"} <= set(parts.sought)
    assert "비전검사장비" in parts.own
    assert not {"비전", "검사", "장비", "비전검사", "비전검사장비"} & set(parts.sought)


def test_a_need_without_self_description_keeps_all_its_terms():
    parts = analyse_need("사출 성형 협력사를 찾습니다")
    assert "사출성형" in parts.sought and parts.own == []
    # Nothing but a self-description: the whole text is what is asked, not dropped.
    assert "사출성형" in analyse_need("사출 성형 업체입니다").sought


@pytest.mark.parametrize("text", PHRASINGS)
def test_moulders_and_machinists_rank_above_optics_lookalikes(market, post, text):
    seeker, partners, lookalikes = market
    need = post(seeker, NEED, "협력사 구함", text)
    assert "비전검사장비" in need.own_terms and "비전검사장비" not in need.terms
    names = [r.firm.name for r in recommend_for_need(need, top=10)]
    assert set(names[: len(partners)]) == partners, names
    # Every look-alike that appears at all is below every partner.
    assert not lookalikes & set(names[: len(partners)])


def test_free_text_search_is_split_the_same_way(market):
    seeker, partners, lookalikes = market
    result = recommend_for_text(EXAMPLE, firm=seeker, top=10)
    assert {r.firm.name for r in result[: len(partners)]} == partners
    # The reasons quote what is needed, never the seeker's own product words.
    top = result[0]
    assert not any("비전" in term for term in top.matched_terms)


def test_index_takes_the_seekers_own_product_off_the_score():
    vocabulary = Vocabulary([(1, "사출 성형", ["사출"]), (2, "비전검사", ["머신비전"])])
    records = [
        FirmRecord(1, 22, 1, "small", True, supply=["사출", "성형", "사출성형"]),
        FirmRecord(2, 27, 1, "small", True, supply=["비전검사", "장비", "사출"]),
        FirmRecord(3, 27, 1, "small", True, supply=["비전검사", "장비"]),
    ]
    index = MatchIndex(records, vocabulary)
    plain = index.search("supply", [Query(["사출성형", "사출"])])
    avoiding = index.search("supply", [Query(["사출성형", "사출"], avoid=["비전검사", "장비"])])
    assert [h.firm_id for h in plain] == [1, 2]
    assert [h.firm_id for h in avoiding] == [1]  # the vision firm's small 사출 match is outweighed
    # A term both sought and described is not avoided.
    both = index.search("supply", [Query(["비전검사"], avoid=["비전검사"])])
    assert {h.firm_id for h in both} == {2, 3}


def test_needs_analysed_before_the_split_are_analysed_again(market, post):
    from django.core.management import call_command

    from yunghap.matching.models import Posting

    seeker, _partners, _lookalikes = market
    need = post(seeker, NEED, "협력사 구함", EXAMPLE)
    # As stored before the split: every word is sought, nothing is the seeker's own.
    Posting.objects.filter(pk=need.pk).update(terms=need.terms + need.own_terms, own_terms=[])
    out = io.StringIO()
    call_command("reanalyse_postings", stdout=out)
    assert "1건" in out.getvalue()
    need.refresh_from_db()
    assert "비전검사장비" in need.own_terms and "비전검사장비" not in need.terms
