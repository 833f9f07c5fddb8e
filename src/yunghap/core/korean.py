"""Korean particles (조사) chosen from the word they follow, as Koreans write them.

`with_particle("스마트산업", "을/를")` → "스마트산업을"; `particle("사과", "이/가")` → "가". The choice depends on
whether the last *pronounced* syllable of the word ends in a consonant (받침), and for 으로/로 whether that
consonant is ㄹ (which takes 로, like a vowel).

What counts as the last pronounced syllable (the documented rules, tested in tests/core/test_korean.py):
- Trailing quotes, spaces and punctuation are skipped ("'비전검사'" is read by 사). A trailing gloss in
  brackets is skipped too: the particle follows the word before it, as the National Institute of Korean
  Language advises ("국립국어원(國立國語院)은", "'brn'(사업자등록번호)이"). Company-form abbreviations are read
  out as the full form: "스마트산업(주)" is "스마트산업 주식회사" (는, 가), "(사)" and "(재)" 법인 (은, 이).
- Hangul: the syllable's own final consonant.
- Arabic numbers: as read in Sino-Korean. The last non-zero digit 일 칠 팔 (1 7 8) end in ㄹ, 삼 (3) in ㅁ,
  육 (6) in ㄱ, 영 (0) in ㅇ; 이 사 오 구 (2 4 5 9) in a vowel. Trailing zeros are read as the unit:
  10 십 (ㅂ), 100 백 (ㄱ), 1000 천 (ㄴ), 10^4..10^7 만 (ㄴ), 10^8..10^11 억 (ㄱ), 10^12.. 조 (vowel).
  Thousands separators are ignored; after a decimal point the last digit is read.
- Latin letters: a word in capitals (an acronym: ABC, LG, KSIC) or a single letter is read by the English
  name of its last letter; L and R (엘, 알) end in ㄹ, M and N (엠, 엔) in a consonant, all others in a
  vowel. Other words are read by their ending: -m, -n, -ng, -me, -ne end in a consonant (time 타임,
  phone 폰), -l and -le in ㄹ (file 파일, Google 구글), -b -d -g -k -p -t in a consonant (web 웹, book 북,
  robot 로봇), everything else in a vowel (computer 컴퓨터, service 서비스, tech 테크).
- Anything else (an empty word, a symbol only): unknown, the combined form "이(가)" is used.
"""

from __future__ import annotations

import re
from typing import Any

# consonant form → vowel form
PAIRS: dict[str, str] = {
    "은": "는",
    "이": "가",
    "을": "를",
    "과": "와",
    "으로": "로",
    "이나": "나",
    "이라": "라",
    "이랑": "랑",
    "아": "야",
    "이며": "며",
    "이고": "고",
    "이야": "야",
    "이에요": "예요",
    "으로서": "로서",
    "으로써": "로써",
    "으로부터": "로부터",
}
_VOWEL_TO_CONSONANT = {vowel: consonant for consonant, vowel in PAIRS.items() if vowel not in ("야",)}
_VOWEL_TO_CONSONANT["야"] = "아"
_RIEUL_TAKES_VOWEL_FORM = {"으로", "으로서", "으로써", "으로부터"}

NONE, CONSONANT, RIEUL = "vowel", "consonant", "rieul"

_SKIP = set(" \t\n)]}>'\"’”」』〉》】.,!?…·~-–—")
_CLOSE_TO_OPEN = {")": "(", "]": "[", "}": "{", "」": "「", "』": "『", "〉": "〈", "》": "《", "】": "【"}
_JONG_RIEUL = 8
# Sino-Korean reading of the last digit: 영 일 이 삼 사 오 육 칠 팔 구
_DIGIT = {
    "0": CONSONANT,
    "1": RIEUL,
    "2": NONE,
    "3": CONSONANT,
    "4": NONE,
    "5": NONE,
    "6": CONSONANT,
    "7": RIEUL,
    "8": RIEUL,
    "9": NONE,
}
_LETTER_NAME = {letter: NONE for letter in "ABCDEFGHIJKOPQSTUVWXYZ"} | {
    "L": RIEUL,
    "R": RIEUL,
    "M": CONSONANT,
    "N": CONSONANT,
}


def _hangul_ending(char: str) -> str:
    jong = (ord(char) - 0xAC00) % 28
    if jong == 0:
        return NONE
    return RIEUL if jong == _JONG_RIEUL else CONSONANT


def _number_ending(digits: str) -> str:
    if "." in digits:
        fraction = digits.rsplit(".", 1)[1]
        if fraction:
            return _DIGIT[fraction[-1]]
        digits = digits.rsplit(".", 1)[0]
    digits = digits.lstrip("0") or "0"
    if digits == "0":
        return CONSONANT  # 영
    zeros = len(digits) - len(digits.rstrip("0"))
    if zeros == 0:
        return _DIGIT[digits[-1]]
    if zeros == 1:
        return CONSONANT  # 십
    if zeros == 2:
        return CONSONANT  # 백
    if zeros == 3:
        return CONSONANT  # 천
    if zeros < 12:
        return CONSONANT  # 만, 억
    return NONE  # 조


def _latin_ending(word: str) -> str:
    if len(word) == 1 or word.isupper():
        return _LETTER_NAME[word[-1].upper()]
    lower = word.lower()
    if lower.endswith(("ng", "m", "n", "me", "ne")):
        return CONSONANT
    if lower.endswith(("l", "le")):
        return RIEUL
    if lower[-1] in "bdgkpt":
        return CONSONANT
    return NONE


# Company-form abbreviations are read out as the full form: 스마트산업(주) is "스마트산업 주식회사".
COMPANY_FORMS = {
    "주": "주식회사",
    "株": "주식회사",
    "유": "유한회사",
    "합": "합자회사",
    "사": "사단법인",
    "재": "재단법인",
}


def _strip_unread(word: str) -> str:
    """The text whose last character is pronounced last (see the module's rules)."""
    text = word
    while True:
        text = text.rstrip()
        while text and text[-1] in _SKIP and text[-1] not in _CLOSE_TO_OPEN:
            text = text[:-1]
        if not text or text[-1] not in _CLOSE_TO_OPEN:
            return text
        opening = text.rfind(_CLOSE_TO_OPEN[text[-1]])
        inside = text[opening + 1 : -1].strip() if opening >= 0 else text[:-1]
        if opening < 0:
            text = inside
        elif inside in COMPANY_FORMS:
            return COMPANY_FORMS[inside]
        elif text[:opening].strip():
            text = text[:opening]  # a gloss in brackets: the particle follows the word before it
        else:
            text = inside


def ending(word: Any) -> str | None:
    """How the last pronounced syllable of `word` ends: "vowel", "consonant", "rieul" (ㄹ) or None."""
    text = _strip_unread(str(word))
    if not text:
        return None
    last = text[-1]
    if "가" <= last <= "힣":
        return _hangul_ending(last)
    if last.isascii() and last.isdigit():
        match = re.search(r"[0-9][0-9,]*(?:\.[0-9]+)?$", text)
        assert match is not None
        return _number_ending(match.group(0).replace(",", ""))
    if last.isascii() and last.isalpha():
        match = re.search(r"[A-Za-z]+$", text)
        assert match is not None
        return _latin_ending(match.group(0))
    if last == "%":
        return NONE  # 퍼센트
    return None


def _normalise(pair: str) -> str:
    """The consonant form of a particle given as "을/를", "를/을", "을(를)", "(으)로", "을" or "를"."""
    text = pair.strip()
    if text in ("(으)로", "으로/로", "로/으로", "로", "으로"):
        return "으로"
    parts = [part for part in re.split(r"[/()]", text) if part]
    for part in parts:
        if part in PAIRS:
            return part
    for part in parts:
        if part in _VOWEL_TO_CONSONANT:
            return _VOWEL_TO_CONSONANT[part]
    raise ValueError(f"unknown particle {pair!r}")


def particle(word: Any, pair: str) -> str:
    """The particle of `pair` (e.g. "이/가") that follows `word`; "이(가)" when the reading is unknown."""
    consonant_form = _normalise(pair)
    vowel_form = PAIRS[consonant_form]
    how = ending(word)
    if how is None:
        if consonant_form.startswith("으"):
            return f"(으){vowel_form}"
        return f"{consonant_form}({vowel_form})"
    if how == NONE or (how == RIEUL and consonant_form in _RIEUL_TAKES_VOWEL_FORM):
        return vowel_form
    return consonant_form


def with_particle(word: Any, pair: str) -> str:
    """`word` followed by the right particle: with_particle("행 3", "와/과") → "행 3과"."""
    return f"{word}{particle(word, pair)}"


# A placeholder followed by a particle in the conventional combined notation: %(firm)s이(가), %(x)s(으)로.
_FORMS = "|".join(
    sorted({re.escape(f) for f in (*PAIRS, *PAIRS.values()) if not f.startswith("으")}, key=len, reverse=True)
)
_MARKED = re.compile(
    rf"%\((?P<name>\w+)\)s(?P<close>[)\]'\"’”」』]*)(?P<pair>\(으\)로(?:서|써|부터)?|(?:{_FORMS})\((?:{_FORMS})\))"
)


def fill(template: Any, params: dict[str, Any] | None = None) -> str:
    """`template % params`, where a placeholder followed by a combined particle ("%(firm)s을(를)",
    "%(email)s(으)로", also after closing quotes or brackets: "'%(title)s'이(가)") gets the one its value needs. Korean source strings mark particles this way; the
    marks never reach a reader, and translations without particles are untouched."""
    text = str(template)
    values = params or {}
    if not values:
        return text
    pairs: list[str] = []

    def mark(match: re.Match[str]) -> str:
        if match.group("name") not in values:
            return match.group(0)
        pairs.append(match.group("pair"))
        return match.group(0)[: -len(match.group("pair"))] + f"\x00{len(pairs) - 1}\x00"

    rendered = _MARKED.sub(mark, text) % values
    if not pairs:
        return rendered
    # Each particle is chosen from all that is written before it, so a gloss or a quote is read rightly.
    out = ""
    for piece in re.split(r"(\x00\d+\x00)", rendered):
        if piece.startswith("\x00") and piece.endswith("\x00") and len(piece) > 2:
            out += particle(out, pairs[int(piece[1:-1])])
        else:
            out += piece
    return out


def is_hangul(text: str) -> bool:
    """Only Hangul syllables (and spaces) in `text`, and at least one."""
    letters = [char for char in text if not char.isspace()]
    return bool(letters) and all("가" <= char <= "힣" for char in letters)


def joined_name(first: str, last: str) -> str:
    """One name from a given and a family name, as the person writes it: a Korean name family name first,
    no space (김 + 혜민 → "김혜민"); any other "given family" ("Jane Doe")."""
    first, last = (first or "").strip(), (last or "").strip()
    if not first or not last:
        return first or last
    if is_hangul(first) and is_hangul(last):
        return f"{last}{first}".replace(" ", "")
    return f"{first} {last}"
