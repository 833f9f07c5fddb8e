"""A call's rules in plain Korean (call_rules_text): the sentences firms read, the window and the state."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.programmes.factories import make_call
from yunghap.programmes import call_rules_text
from yunghap.programmes.models import Call
from yunghap.programmes.rules import CallRules

pytestmark = pytest.mark.django_db


def _call(**fields) -> Call:
    return Call(
        code="x",
        title="x",
        opens_on=datetime.date(2026, 12, 1),
        closes_on=datetime.date(2026, 12, 20),
        **fields,
    )


def test_the_plan_defaults_in_plain_korean():
    sentences = call_rules_text.rules_sentences(_call())
    assert sentences == [
        "정부지원금은 협력체당 최대 20,000,000원이며 총사업비의 75% 이내입니다.",
        "기업부담금은 총사업비의 25% 이상이며 그중 현금이 20% 이상이어야 합니다.",
        "참여기업은 주관기업을 포함해 3개 이상이어야 하며, 서로 다른 업종(KSIC 중분류)이 2개 이상이어야 합니다.",
        "참여기업은 모두 현재 교류회 회원이고 정상 영업 중이어야 합니다.",
        "한 기업은 이 공모에서 1건의 신청까지 참여할 수 있습니다(주관·참여 모두 포함).",
        "신청마다 평가위원 5명이 평가합니다. 평가 점수는 평가위원 점수의 평균이며, 5명 이상이면 최고점과 "
        "최저점을 하나씩 빼고 평균합니다.",
        "평균 70점 이상인 신청 가운데 점수가 높은 순으로, 총 예산 1,000,000,000원 안에서 최대 50개 협력체를 "
        "선정합니다.",
    ]


def test_a_cap_on_the_total_cost_and_fractional_shares():
    call = _call(
        cap_applies_to="total",
        grant_cap_krw=30_000_000,
        government_share_max=Decimal("62.50"),
        firm_share_min=Decimal("37.5"),
        firm_cash_share_min=Decimal("10"),
        min_members=4,
        max_applications_per_firm=2,
        pass_score=Decimal("65.50"),
    )
    sentences = call_rules_text.rules_sentences(CallRules.of(call))
    assert (
        sentences[0] == "총사업비는 협력체당 최대 30,000,000원이며, 정부지원금은 총사업비의 62.5% 이내입니다."
    )
    assert sentences[1] == "기업부담금은 총사업비의 37.5% 이상이며 그중 현금이 10% 이상이어야 합니다."
    assert sentences[2].startswith("참여기업은 주관기업을 포함해 4개 이상")
    assert "2건의 신청까지" in sentences[4]
    assert sentences[6].startswith("평균 65.5점 이상인 신청")


def test_window_in_kst_with_the_last_day_whole():
    assert (
        call_rules_text.window_text(datetime.date(2026, 12, 1), datetime.date(2026, 12, 20))
        == "2026-12-01 00:00 ~ 2026-12-20 24:00 (한국 시간)"
    )


def test_state_follows_the_window_in_kst():
    today = timezone.localdate()
    assert call_rules_text.state_of(make_call(published=False)) == "draft"
    assert call_rules_text.state_of(make_call()) == "open"
    upcoming = make_call(
        opens_on=today + datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=9)
    )
    assert call_rules_text.state_label(upcoming) == "접수 예정"
    closed = make_call(
        opens_on=today - datetime.timedelta(days=9), closes_on=today - datetime.timedelta(days=1)
    )
    assert call_rules_text.state_label(closed) == "마감"
    # The last day is taken whole: 23:59 KST of closes_on is still open, midnight after is closed.
    zone = timezone.get_default_timezone()
    last = datetime.datetime.combine(closed.closes_on, datetime.time(23, 59), tzinfo=zone)
    assert call_rules_text.state_of(closed, last) == "open"
    assert call_rules_text.state_of(closed, last + datetime.timedelta(minutes=1)) == "closed"
