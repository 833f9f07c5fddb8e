"""The public directory (issue 12 §3): active groups and the firms that consented, with the public fields
only, for visitors; search and filters as in the registry; pagination; pinned query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.directory.world import list_firm
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, region
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.network import public_fields
from yunghap.network.models import ExchangeGroup, Firm

pytestmark = pytest.mark.django_db

PERSONAL = {
    "representative": "홍비밀",
    "phone": "02-9876-5432",
    "email": "secret-ceo@example.com",
    "address": "서울특별시 비밀구 숨은로 77",
    "employees": 4321,
    "revenue_krw": 987654321,
}


def personal_firm(**fields):
    values = {
        "name": "공개정밀",
        "industry": industry("29"),
        "founded_on": datetime.date(1998, 3, 2),
        "technologies": ["정밀 가공", "레이저 용접"],
        "products": ["베어링 하우징"],
        **PERSONAL,
        **fields,
    }
    return FirmFactory(**values)


def assert_no_personal_data(html: str, firm: Firm) -> None:
    for value in (*PERSONAL.values(), "4,321", "987,654,321", firm.brn, firm.brn_display):
        assert str(value) not in html, f"{value!r} is on a public page"


def test_a_consenting_firm_card_shows_the_public_fields_and_no_personal_data(client, network):  # noqa: F811
    firm = personal_firm()
    MembershipFactory(group=network.seoul_group, firm=firm)
    listing = list_firm(firm)
    pages = [
        reverse("directory:firm_detail", kwargs={"public_id": listing.public_id}),
        reverse("directory:firm_list"),
        reverse("directory:group_detail", kwargs={"code": "seoul-a"}),
        reverse("directory:group_list"),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_personal_data(response.content.decode(), firm)
    card = client.get(pages[0]).content.decode()
    for text in (
        "공개정밀",
        "서울",
        "29 ",
        "정보교환형",
        "신제품개발형",
        "1998",
        "정밀 가공, 레이저 용접",
        "베어링 하우징",
    ):
        assert text in card
    # The card is built from the fixed list, and only from it.
    built = public_fields.public_firm_cards([firm])[0]
    assert set(public_fields.PUBLIC_FIRM_KEYS) <= set(built)
    assert set(built) - set(public_fields.PUBLIC_FIRM_KEYS) == {"public_id", "region_code", "industry_code"}
    assert listing.public_id not in (firm.brn, str(firm.pk))


def test_the_logged_in_staff_see_the_same_public_card(client, network):  # noqa: F811
    firm = personal_firm()
    listing = list_firm(firm)
    client.force_login(network.users["central"])
    html = client.get(
        reverse("directory:firm_detail", kwargs={"public_id": listing.public_id})
    ).content.decode()
    assert_no_personal_data(html, firm)


def test_firms_that_did_not_consent_are_not_in_the_directory(client, network):  # noqa: F811
    quiet = personal_firm(name="비공개기업")
    withdrawn = list_firm(FirmFactory(name="철회기업"), consented=False)
    closed = list_firm(FirmFactory(name="폐업기업", status=Firm.Status.CLOSED))
    listed = list_firm(network.member_firm)
    listing_page = client.get(reverse("directory:firm_list")).content.decode()
    assert "새영테크" in listing_page
    for name in ("비공개기업", "철회기업", "폐업기업", "광빛차체"):
        assert name not in listing_page
    for public_id in (withdrawn.public_id, closed.public_id, "nosuchfirm12"):
        assert (
            client.get(reverse("directory:firm_detail", kwargs={"public_id": public_id})).status_code == 404
        )
    # The firm's BRN or pk is never an address.
    assert client.get(f"/directory/firms/{quiet.brn}/").status_code == 404
    assert client.get(f"/directory/firms/{listed.firm.brn}/").status_code == 404


def test_a_group_lists_only_its_consenting_current_members(client, network):  # noqa: F811
    list_firm(network.member_firm)
    list_firm(network.former_firm)  # consented, but left the group in 2010
    html = client.get(reverse("directory:group_detail", kwargs={"code": "seoul-a"})).content.decode()
    assert "테헤란기술교류회" in html and "새영테크" in html
    assert "광빛차체" not in html  # a current member that did not consent
    assert "떠난기업" not in html
    # Nothing tells how many members did not consent, nor their industries (광빛차체 is in division 30).
    assert "30 " not in html.split('id="group-card"')[1].split("</dl>")[0]
    assert "김혜민" not in html and "010-6278-1954" not in html


def test_only_active_groups_are_listed(client, network):  # noqa: F811
    GroupFactory(
        code="gone", name="해산교류회", federation=region("seoul"), status=ExchangeGroup.Status.DISSOLVED
    )
    GroupFactory(
        code="sleepy", name="휴면교류회", federation=region("seoul"), status=ExchangeGroup.Status.DORMANT
    )
    html = client.get(reverse("directory:group_list")).content.decode()
    assert "테헤란기술교류회" in html and "해운대교류회" in html
    assert "해산교류회" not in html and "휴면교류회" not in html
    assert client.get(reverse("directory:group_detail", kwargs={"code": "gone"})).status_code == 404
    assert client.get(reverse("directory:group_detail", kwargs={"code": "sleepy"})).status_code == 404


def test_group_filters_as_in_the_registry(client, network):  # noqa: F811
    url = reverse("directory:group_list")
    busan = client.get(url, {"region": "busan"}).content.decode()
    assert "해운대교류회" in busan and "테헤란기술교류회" not in busan
    by_type = client.get(url, {"exchange_type": "newproduct"}).content.decode()
    assert "테헤란기술교류회" in by_type and "구로융합교류회" not in by_type
    by_name = client.get(url, {"q": "구로"}).content.decode()
    assert "구로융합교류회" in by_name and "테헤란기술교류회" not in by_name
    # The division filter reads listed members only: 광빛차체 (30) has not consented.
    assert "테헤란기술교류회" not in client.get(url, {"division": "30"}).content.decode()
    list_firm(network.chair_firm)
    assert "테헤란기술교류회" in client.get(url, {"division": "30"}).content.decode()
    # An invalid filter filters nothing and says so.
    bad = client.get(url, {"region": "atlantis"})
    assert bad.status_code == 200 and "검색 조건을 확인하세요" in bad.content.decode()


def test_firm_filters_and_search_by_name_only(client, network):  # noqa: F811
    for firm in (network.member_firm, network.chair_firm, network.busan_firm):
        list_firm(firm)
    url = reverse("directory:firm_list")
    busan = client.get(url, {"region": "busan"}).content.decode()
    assert "부산정밀" in busan and "새영테크" not in busan
    division = client.get(url, {"division": "26"}).content.decode()
    assert "새영테크" in division and "광빛차체" not in division
    assert "광빛차체" in client.get(url, {"q": "광빛"}).content.decode()
    # No search by business registration number: the public may not confirm one.
    by_brn = client.get(url, {"q": network.member_firm.brn}).content.decode()
    assert "새영테크" not in by_brn and "조건에 맞는 회원사가 없습니다." in by_brn
    # Head-count bands are not public: the registry's size filter is not offered.
    assert 'name="size"' not in client.get(url).content.decode()


def test_the_firm_list_is_paginated(client, network, settings):  # noqa: F811
    from yunghap.network import directory_views

    directory_views.PAGE_SIZE, saved = 2, directory_views.PAGE_SIZE
    try:
        for n in range(5):
            list_firm(FirmFactory(name=f"가나다{n}"))
        first = client.get(reverse("directory:firm_list"), {"q": "가나다"}).content.decode()
        third = client.get(reverse("directory:firm_list"), {"q": "가나다", "page": 3}).content.decode()
    finally:
        directory_views.PAGE_SIZE = saved
    assert "가나다0" in first and "가나다1" in first and "가나다2" not in first
    assert "전체 5건 · 1/3쪽" in first
    assert "가나다4" in third and "가나다0" not in third


def test_query_counts_are_pinned(client, network, django_assert_max_num_queries):  # noqa: F811
    for n in range(30):
        firm = FirmFactory(name=f"기업{n:02d}", technologies=["용접"])
        MembershipFactory(group=network.seoul_group, firm=firm)
        list_firm(firm)
    for n in range(30):
        group = GroupFactory(code=f"g{n:02d}", name=f"교류회{n:02d}", federation=region("seoul"))
        MembershipFactory(group=group, firm=network.member_firm)
    listing = list_firm(network.member_firm)
    client.get(reverse("directory:group_list"))  # warms the filter choices' cache
    with django_assert_max_num_queries(5):
        assert client.get(reverse("directory:group_list")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("directory:firm_list")).status_code == 200
    with django_assert_max_num_queries(4):
        assert client.get(reverse("directory:group_detail", kwargs={"code": "seoul-a"})).status_code == 200
    with django_assert_max_num_queries(3):
        assert (
            client.get(reverse("directory:firm_detail", kwargs={"public_id": listing.public_id})).status_code
            == 200
        )
