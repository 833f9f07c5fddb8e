"""Recommendation reasons are kept as message codes and shown in each reader's language (issue 8 §3)."""

from __future__ import annotations

import importlib

from django.urls import reverse
from django.utils import translation

from yunghap.core.messages_catalogue import Message, render, render_stored
from yunghap.introductions.models import Introduction

migration = importlib.import_module("yunghap.introductions.migrations.0004_reasons_as_message_codes")


def test_render_in_the_active_language():
    with translation.override("ko"):
        assert render("matching.reason.same_region", {"region": "서울"}) == "같은 지역: 서울"
    with translation.override("en"):
        assert render("matching.reason.same_region", {"region": "서울"}) == "Same region: 서울"
        # Nested messages and lists are rendered too.
        text = render(
            "matching.reason.capabilities",
            {
                "lead": {"code": "matching.lead.need", "params": {}},
                "asked": {"code": "matching.unshared.need", "params": {}},
                "caps": ["금형 제작", "사출 성형"],
                "theirs": "정밀 몰드 제작",
            },
        )
        assert text == "Need capabilities matching ‘Unshared need’: 금형 제작, 사출 성형 (‘정밀 몰드 제작’)"
    # An unknown code never breaks a page; a legacy plain string shows as written.
    assert render_stored({"code": "no.such.code", "params": {}}) == "no.such.code"
    assert render_stored("금형 일치") == "금형 일치"


def test_a_message_is_a_string_and_keeps_its_code():
    with translation.override("ko"):
        reason = Message.of("matching.reason.terms", terms=["금형", "사출"])
    assert reason == "일치하는 말: 금형, 사출" and "금형" in reason
    assert reason.as_data() == {"code": "matching.reason.terms", "params": {"terms": ["금형", "사출"]}}


def test_introduction_keeps_codes_and_each_reader_sees_their_language(client, world):
    client.force_login(world.coordinator)
    client.post(reverse("introductions:create"), {"need": world.need.pk, "partner": world.partner.pk})
    intro = Introduction.objects.get()
    codes = [r["code"] for r in intro.reasons]
    assert "matching.reason.cross_industry" in codes and "matching.reason.region" in codes
    assert all(isinstance(r, dict) and set(r) == {"code", "params"} for r in intro.reasons)

    client.force_login(world.seeker_user)
    url = reverse("introductions:detail", args=[intro.pk])
    korean = client.get(url).content.decode()
    assert "이업종" in korean and "지역: 부산" in korean
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    english = client.get(url).content.decode()
    assert "(cross-industry)" in english and "Region: " in english
    assert "(이업종)" not in english


def test_stored_sentences_are_migrated_to_codes():
    stored = [
        "수요 ‘센서 하우징 금형 제작’에 맞는 역량: 금형 제작, 사출 성형 (‘비공개 기술 제공’)",
        "제공 ‘A’와 겹치는 말: 금형, 몰드 (‘회원사 보유기술·제품’)",
        "일치하는 말: 금형, 사출",
        "업종: 26 전자부품 ↔ 29 기타 기계 (이업종)",
        "이미 같은 교류회 회원: 가교류회, 나교류회",
        "같은 지역: 서울",
        "지역: 부산",
        "금형 일치",
    ]
    coded = [migration.to_code(s) for s in stored]
    assert coded[0] == {
        "code": "matching.reason.capabilities",
        "params": {
            "lead": {"code": "matching.lead.need", "params": {}},
            "asked": "센서 하우징 금형 제작",
            "caps": ["금형 제작", "사출 성형"],
            "theirs": {"code": "matching.unshared.offer", "params": {}},
        },
    }
    assert [c["code"] for c in coded] == [
        "matching.reason.capabilities",
        "matching.reason.shared_words",
        "matching.reason.terms",
        "matching.reason.cross_industry",
        "matching.reason.shared_groups",
        "matching.reason.same_region",
        "matching.reason.region",
        "text",
    ]
    # Rendered in Korean, each reads exactly as it was stored; and the migration back restores it.
    with translation.override("ko"):
        assert [render_stored(c) for c in coded] == stored
    assert [migration.to_text(c) for c in coded] == stored
    with translation.override("en"):
        assert render_stored(coded[6]) == "Region: 부산"
