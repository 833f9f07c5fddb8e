"""Particles chosen from the last pronounced syllable (core.korean), as Koreans write them."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from yunghap.core.korean import fill, particle, with_particle


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("스마트산업", "와/과", "스마트산업과"),
        ("(주)스마트산업", "와/과", "(주)스마트산업과"),
        ("스마트산업(주)", "은/는", "스마트산업(주)는"),
        ("스마트산업(주)", "이/가", "스마트산업(주)가"),
        ("'비전검사'", "을/를", "'비전검사'를"),
        ("'센서 모듈'", "이/가", "'센서 모듈'이"),
        ("서울", "으로/로", "서울로"),  # ㄹ받침 → 로
        ("부산", "으로/로", "부산으로"),
        ("회사", "(으)로", "회사로"),
        ("교류회", "을(를)", "교류회를"),
        ("사과", "와(과)", "사과와"),
        ("국립국어원(國立國語院)", "은/는", "국립국어원(國立國語院)은"),  # a gloss: by the word before it
        ("한국산업(사)", "이/가", "한국산업(사)이"),  # 사단법인
        ("(주)", "이/가", "(주)가"),
        ("(센서)", "을/를", "(센서)를"),
    ],
)
def test_hangul(word, pair, expected):
    assert with_particle(word, pair) == expected


@pytest.mark.parametrize(
    ("number", "wa", "ro"),
    [
        ("0", "과", "으로"),  # 영
        ("1", "과", "로"),  # 일: ㄹ
        ("2", "와", "로"),  # 이
        ("3", "과", "으로"),  # 삼
        ("4", "와", "로"),
        ("5", "와", "로"),
        ("6", "과", "으로"),  # 육
        ("7", "과", "로"),  # 칠: ㄹ
        ("8", "과", "로"),  # 팔: ㄹ
        ("9", "와", "로"),
        ("10", "과", "으로"),  # 십
        ("100", "과", "으로"),  # 백
        ("1,000", "과", "으로"),  # 천
        ("20000", "과", "으로"),  # 이만
        ("300000000", "과", "으로"),  # 삼억
        ("1000000000000", "와", "로"),  # 일조
        ("2024", "와", "로"),
        ("2023", "과", "으로"),
        ("3.5", "와", "로"),
        ("행 3", "과", "으로"),
    ],
)
def test_numbers_are_read_in_sino_korean(number, wa, ro):
    assert particle(number, "와/과") == wa
    assert particle(number, "으로/로") == ro


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("ABC", "는"),  # 씨
        ("LG", "는"),  # 지
        ("IBM", "은"),  # 엠
        ("KSIC", "는"),  # 씨
        ("URL", "은"),  # 엘
        ("N", "은"),
        ("R", "은"),
        ("A", "는"),
        ("Google", "은"),  # 구글
        ("phone", "은"),  # 폰
        ("web", "은"),  # 웹
        ("robot", "은"),  # 로봇
        ("computer", "는"),  # 컴퓨터
        ("service", "는"),  # 서비스
        ("Smart Co.", "는"),
    ],
)
def test_latin_letters_and_english_words(word, expected):
    assert particle(word, "은/는") == expected


def test_l_and_r_end_in_rieul_so_take_ro():
    assert particle("URL", "으로/로") == "로"
    assert particle("IBM", "으로/로") == "으로"
    assert particle("file", "으로/로") == "로"


def test_unknown_reading_keeps_the_combined_form():
    assert particle("", "이/가") == "이(가)"
    assert particle("★", "으로/로") == "(으)로"


def test_every_notation_of_a_pair_is_accepted():
    for pair in ("을/를", "를/을", "을(를)", "을", "를"):
        assert particle("센서", pair) == "를"
    with pytest.raises(ValueError):
        particle("센서", "의")


def test_fill_resolves_marked_placeholders_and_leaves_the_rest():
    template = "%(firm)s이(가) %(group)s 가입 요청을 수락했습니다. 행 %(row)s와(과) 중복, %(email)s(으)로 보냄, %(n)d건"
    text = fill(template, {"firm": "스마트산업(주)", "group": "테헤란", "row": 3, "email": "a@b.kr", "n": 2})
    assert text == "스마트산업(주)가 테헤란 가입 요청을 수락했습니다. 행 3과 중복, a@b.kr로 보냄, 2건"
    assert fill("%(name)s은(는) 100%% 준비", {"name": "50%"}) == "50%는 100% 준비"
    assert fill("Approved %(title)s", {"title": "X"}) == "Approved X"
    assert fill("고정 문구") == "고정 문구"


def test_template_filter():
    html = Template('{% load korean %}{{ a|particle:"을/를" }} {{ b|particle:"와/과" }}').render(
        Context({"a": "(주)스마트산업", "b": "행 3"})
    )
    assert html == "(주)스마트산업을 행 3과"


def test_fill_reads_through_closing_quotes_and_brackets():
    assert (
        fill("게시글 '%(title)s'이(가) 승인되었습니다.", {"title": "센서 모듈"})
        == "게시글 '센서 모듈'이 승인되었습니다."
    )
    assert fill(
        "필수 열 '%(key)s'(%(label)s)이(가) 없습니다.", {"key": "brn", "label": "사업자등록번호"}
    ) == ("필수 열 'brn'(사업자등록번호)이 없습니다.")
