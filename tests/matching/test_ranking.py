from __future__ import annotations

import datetime

import pytest

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry
from yunghap.matching import posting_services
from yunghap.matching.recommend import (
    MatchFilters,
    recommend_for_firm,
    recommend_for_need,
    recommend_for_offer,
)

from .conftest import NEED, OFFER

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(firms, vocabulary, post):
    need = post(firms["seeker"], NEED, "센서 케이스용 금형이 필요합니다", "사출 성형 협력사를 찾습니다")
    post(firms["molder"], OFFER, "정밀 몰드 제작", "자동차 부품 금형을 제작하고 사출성형도 합니다")
    post(firms["same_div"], OFFER, "전자부품 금형 제작", "금형 제작과 사출 성형")
    # Similar text, but it is another need: a competitor for the same supplier, not a partner.
    post(firms["lookalike"], NEED, "센서 케이스 금형이 필요", "사출 성형 업체 구함")
    return need


def test_complementary_partner_of_other_division_first(world, firms):
    result = recommend_for_need(world)
    names = [r.firm.name for r in result]
    assert names[0] == "대한금형"
    assert "비슷한전자" not in names  # similar need, offers nothing
    assert "전자금형" not in names  # same KSIC division 26, excluded by default
    top = result[0]
    assert "금형 제작" in top.capabilities and "사출 성형" in top.capabilities
    assert top.industry_pair.startswith("26 ") and "↔ 29 " in top.industry_pair
    assert any("금형 제작" in reason for reason in top.reasons)
    assert any("이업종" in reason for reason in top.reasons)
    assert "phone" not in top.as_dict() and "email" not in top.as_dict()


def test_same_division_included_with_flag(world):
    names = [r.firm.name for r in recommend_for_need(world, filters=MatchFilters(include_same_industry=True))]
    assert set(names) >= {"대한금형", "전자금형"}


def test_declared_conflict_excluded_both_ways(world, firms):
    posting_services.declare_conflict(firms["molder"], actor=None, competitor=firms["seeker"])
    assert "대한금형" not in [r.firm.name for r in recommend_for_need(world)]
    result = recommend_for_need(world, filters=MatchFilters(exclude_conflicts=False))
    assert "대한금형" in [r.firm.name for r in result]


def test_closed_firm_and_expired_posting_excluded(world, firms, post):
    other = FirmFactory(name="새금형", industry=industry("25"))
    old = post(other, OFFER, "금형 제작", expires_on=datetime.date.today() + datetime.timedelta(days=1))
    assert "새금형" in [r.firm.name for r in recommend_for_need(world)]
    type(old).objects.filter(pk=old.pk).update(expires_on=datetime.date.today() - datetime.timedelta(days=1))
    assert "새금형" not in [r.firm.name for r in recommend_for_need(world)]
    firms["molder"].status = "closed"
    firms["molder"].save()
    assert "대한금형" not in [r.firm.name for r in recommend_for_need(world)]


def test_shared_group_and_region_explained(world, firms):
    group = GroupFactory(name="한빛교류회")
    MembershipFactory(group=group, firm=firms["seeker"])
    MembershipFactory(group=group, firm=firms["molder"])
    top = recommend_for_need(world)[0]
    assert top.shares_group and top.shared_groups == ["한빛교류회"]
    assert top.same_region


def test_offer_finds_firms_that_need_it(world, firms):
    offer = firms["molder"].postings.get()
    names = [r.firm.name for r in recommend_for_offer(offer)]
    assert set(names) >= {"센서전자", "비슷한전자"}


def test_firm_with_several_needs_prefers_partner_covering_more(firms, vocabulary, post):
    seeker = firms["seeker"]
    post(seeker, NEED, "금형 제작 파트너")
    post(seeker, NEED, "생산라인 PLC 자동제어")
    one = FirmFactory(name="금형만", industry=industry("29"))
    both = FirmFactory(name="금형과제어", industry=industry("28"))
    post(one, OFFER, "금형 제작 전문")
    post(both, OFFER, "금형 제작 및 PLC 제어반")
    names = [r.firm.name for r in recommend_for_firm(seeker)]
    assert names.index("금형과제어") < names.index("금형만")


def test_no_partner_is_an_empty_result_with_a_hint(firms, vocabulary, post):
    need = post(firms["seeker"], NEED, "우주선 추진체 연료 배합")
    result = recommend_for_need(need)
    assert list(result) == [] and result.hint


def test_only_stop_words_gives_a_hint(firms, vocabulary, post):
    need = post(firms["seeker"], NEED, "기술 협력 업체 필요", "관련 기술 제공 가능한 기업")
    result = recommend_for_need(need)
    assert list(result) == [] and "구체적으로" in result.hint
