"""On English pages reference data is in English: federations, exchange types, KSIC names, growth engines."""

from __future__ import annotations

import csv

from django.urls import reverse
from django.utils import translation

from yunghap.network.models import ExchangeType, Federation, Industry, IndustrySection
from yunghap.network.reference import DATA_DIR
from yunghap.programmes.models import GrowthEngine


def english(client):
    client.cookies["django_language"] = "en"
    return client


def test_every_ksic_division_and_section_has_an_english_name(db):
    with open(DATA_DIR / "ksic10_divisions.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 77 and all(row["division_name_en"].strip() for row in rows)
    assert Industry.objects.count() == 77
    assert not Industry.objects.filter(name_en="").exists()
    assert not IndustrySection.objects.filter(name_en="").exists()
    assert Industry.objects.get(code="26").name_en.startswith("Manufacture of electronic components")


def test_display_name_follows_the_reader_language(db):
    seoul = Federation.objects.get(code="seoul")
    info = ExchangeType.objects.get(code="info")
    division = Industry.objects.get(code="62")
    assert (seoul.display_name, info.display_name, str(division)) == (
        "서울연합회",
        "정보교환형",
        "62 컴퓨터 프로그래밍, 시스템 통합 및 관리업",
    )
    with translation.override("en"):
        assert seoul.display_name == "Seoul"
        assert info.display_name == "Information exchange"
        assert str(division) == "62 Computer programming, consultancy and related activities"
        engine = GrowthEngine.objects.filter(name_en__gt="").first()
        if engine is not None:
            assert engine.display_name == engine.name_en


def test_the_group_page_in_english(client, network):
    client.force_login(network.users["central"])
    body = (
        english(client).get(reverse("network:group_detail", args=[network.seoul_group.code])).content.decode()
    )
    assert "Seoul" in body and "서울연합회" not in body
    assert "Information exchange" in body and "정보교환형" not in body
    assert "Manufacture of motor vehicles, trailers and semitrailers" in body  # 30, the chair firm
    korean = client.get(
        reverse("network:group_detail", args=[network.seoul_group.code]), HTTP_ACCEPT_LANGUAGE="ko"
    )
    assert korean.status_code == 200


def test_lists_and_filters_in_english(client, network):
    client.force_login(network.users["central"])
    english(client)
    groups = client.get(reverse("network:group_list")).content.decode()
    assert "Busan" in groups and "부산연합회" not in groups
    firms = client.get(reverse("network:firm_list")).content.decode()
    assert "Manufacture of electronic components" in firms
    client.cookies["django_language"] = "ko"
    assert "부산연합회" in client.get(reverse("network:group_list")).content.decode()
