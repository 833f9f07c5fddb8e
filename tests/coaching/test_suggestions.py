"""Suggested mentors (/coaching/mentoring/suggestions/): matching's ranking of partners whose offers answer
the junior firm's needs, kept to eligible seniors, never of the junior's own KSIC division unless asked;
what a senior has done (its completed consortia, its results) adds to the reasons and the score."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.factories import FirmFactory, MembershipFactory, industry
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.activities import services as ledger
from yunghap.matching.models import Posting

pytestmark = pytest.mark.django_db

URL = "/coaching/mentoring/suggestions/"


def posting(firm, kind, title, terms):
    return Posting.objects.create(
        firm=firm,
        kind=kind,
        title=title,
        terms=terms,
        analysed_at=timezone.now(),
        review_status=Posting.ReviewStatus.APPROVED,
        visibility=Posting.Visibility.NETWORK,
        expires_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def result(group, firm, title):
    ledger.record_outcome(
        group, actor=None, kind="patent", title=title, achieved_on=datetime.date(2025, 3, 1), firms=[firm]
    )


@pytest.fixture
def market(network):  # noqa: F811
    group = network.seoul_group
    posting(network.member_firm, Posting.Kind.NEED, "사출 금형 설계 도움", ["사출금형", "설계"])
    # The chair firm (division 30) offers it and has a result: suggested.
    posting(network.chair_firm, Posting.Kind.OFFER, "정밀 사출금형 제작", ["사출금형", "정밀"])
    result(group, network.chair_firm, "사출금형 냉각 특허")
    # A firm of the junior's own division (26) offers it too and has a result: left out by default.
    same = FirmFactory(name="같은업종금형", industry=industry("26"))
    MembershipFactory(group=group, firm=same)
    posting(same, Posting.Kind.OFFER, "사출금형 설계", ["사출금형", "설계"])
    result(group, same, "금형 특허")
    # A firm that offers it but has done nothing yet: never a senior.
    newcomer = FirmFactory(name="새내기금형", industry=industry("22"))
    MembershipFactory(group=group, firm=newcomer)
    posting(newcomer, Posting.Kind.OFFER, "사출금형 제작", ["사출금형"])
    return {"same": same}


def names(response):
    return [s.firm.name for s in response.context["suggestions"]]


def test_mentors_come_from_matching_among_eligible_seniors_of_other_industries(client, network, market):  # noqa: F811
    client.force_login(network.users["coordinator"])
    assert client.get(URL).status_code == 200
    response = client.get(URL, {"firm": network.member_firm.pk})
    assert response.status_code == 200
    assert names(response) == ["광빛차체"]
    first = response.context["suggestions"][0]
    assert "융합기술개발 실적: 사출금형 냉각 특허" in first.record
    assert any("사출금형" in r for r in first.reasons)
    # With the toggle, the same division is included.
    both = client.get(URL, {"firm": network.member_firm.pk, "same_industry": "1"})
    assert set(names(both)) == {"광빛차체", "같은업종금형"}
    html = both.content.decode()
    assert f"?junior={network.member_firm.pk}&amp;senior={network.chair_firm.pk}" in html


def test_a_junior_without_needs_gets_a_hint_and_outside_reach_is_404(client, network, market):  # noqa: F811
    client.force_login(network.users["coordinator"])
    response = client.get(URL, {"firm": network.chair_firm.pk})
    assert names(response) == []
    assert (
        response.context["hint"]
        == "후배 기업에 마감되지 않은 승인된 기술 수요가 없어 추천할 선배 기업이 없습니다."
    )
    assert client.get(URL, {"firm": network.busan_firm.pk}).status_code == 404
    assert client.get(URL, {"firm": "abc"}).status_code == 400
    client.force_login(network.users["firm"])
    assert client.get(URL, {"firm": network.member_firm.pk}).status_code == 403
