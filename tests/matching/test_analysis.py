"""Korean text as firms write it: particles, spacing, synonyms, English, typos (Kiwi is loaded once)."""

from __future__ import annotations

import pytest

from yunghap.matching.analysis import AnalysisError, analyse_text
from yunghap.matching.vocabulary import Vocabulary

VOCAB = Vocabulary(
    [
        (1, "금형 제작", ["몰드", "금형"]),
        (2, "스마트팩토리", ["스마트 공장"]),
        (3, "PLC 제어", ["PLC"]),
        (4, "IoT 센서", ["센서", "iot"]),
        (5, "CNC 가공", ["CNC"]),
        (6, "열처리", []),
    ]
)


def caps(text: str) -> set[int]:
    return set(VOCAB.capabilities_of(analyse_text(text)))


def test_particles_are_dropped():
    assert "센서" in analyse_text("온도 센서를 납품합니다")
    assert "센서를" not in analyse_text("온도 센서를 납품합니다")


def test_both_spacings_give_the_joined_term():
    assert "스마트팩토리" in analyse_text("스마트 팩토리 구축")
    assert "스마트팩토리" in analyse_text("스마트팩토리가 필요합니다")
    assert caps("스마트 팩토리 구축") == caps("스마트팩토리가 필요합니다") == {2}


def test_synonyms_and_object_phrases_name_one_capability():
    assert caps("정밀 몰드 공급") == {1}
    assert caps("금형을 제작합니다") == {1}


def test_english_terms_any_case():
    assert caps("IoT 기반 PLC 제어와 cnc 가공") == {3, 4, 5}
    assert caps("iot 게이트웨이") == {4}


def test_typos_meet_the_vocabulary():
    assert caps("스마트팩터리 도입") == {2}  # one vowel off in a long word
    assert caps("열쳐리 가능") == {6}  # a swapped vowel in a short word
    assert caps("올해 신제품 출시") == set()  # a real word one jamo away is no typo


def test_stop_words_alone_give_no_terms():
    assert analyse_text("관련 기술 제공 가능한 업체 필요") == []


def test_too_long_text_is_refused_in_korean():
    with pytest.raises(AnalysisError, match="너무 깁니다"):
        analyse_text("가" * 5001, limit=4000)
