"""Korean text → matching terms, with Kiwi (kiwipiepy).

Kiwi takes ~0.5 GB and seconds to load, so it is loaded lazily, once per process, and only by the
processes that analyse text: the background task worker, the command line and tests. Views and models
never import kiwipiepy; stored postings carry their terms, so ranking never needs it.

The terms of a text:
- content morphemes (general and proper nouns, roots, foreign words, hanja), particles and endings
  dropped (`센서를` → `센서`), foreign words lower-cased (`IoT` → `iot`);
- joined runs of adjacent nouns (`스마트 팩토리` and `스마트팩토리` both give `스마트팩토리`), up to four
  morphemes, so either spacing meets the other; a noun and the verbal noun it is the object of are
  joined too (`금형을 제작합니다` → `금형제작`);
- stop words (the words every posting uses: 기술, 제공, 필요, 업체 …) never become terms.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from django.utils.translation import gettext as _

ANALYSER_VERSION = "kiwi-1"
QUERY_MAX_LENGTH = 4000
MAX_JOIN = 4

CONTENT_TAGS = frozenset({"NNG", "NNP", "NR", "SL", "SH", "XR", "SN"})
NOUN_TAGS = frozenset({"NNG", "NNP"})

STOP_WORDS = frozenset(
    [
        "기술",
        "제공",
        "필요",
        "수요",
        "업체",
        "기업",
        "회사",
        "당사",
        "저희",
        "보유",
        "가능",
        "희망",
        "관련",
        "분야",
        "이용",
        "기반",
        "활용",
        "협력",
        "협력사",
        "파트너",
        "경우",
        "문의",
        "연락",
        "사항",
        "내용",
        "등",
        "및",
        "것",
        "수",
        "위",
        "때",
        "중",
        "전",
        "후",
        "이상",
        "이하",
        "가지",
        "부분",
        "정도",
        "관련",
        "대한",
        "통해",
        "위해",
        "분",
        "곳",
        "모집",
        "찾기",
        "구함",
        "원함",
        "요청",
        "진행",
        "예정",
        "계획",
        "현재",
        "다양",
        "우리",
        "귀사",
        "제품",
        "서비스",
        "사업",
        "개발",
        "지원",
        "공동",
        "함께",
        "상담",
        "년",
        "월",
        "일",
        "개",
        "명",
        "건",
        "원",
        "곳",
        "번",
        "차",
        "점",
        "외",
        "측",
        "및",
        "또는",
        "그리고",
        "the",
        "and",
        "for",
        "with",
        "of",
        "to",
        "in",
        "a",
        "an",
    ]
)

_kiwi: Any = None
_kiwi_lock = threading.Lock()


class AnalysisError(ValueError):
    """Text that cannot be analysed as given; the message is Korean and meant for the user."""


def get_kiwi() -> Any:
    """The process's Kiwi analyser, loaded on first use."""
    global _kiwi
    if _kiwi is None:
        with _kiwi_lock:
            if _kiwi is None:
                from kiwipiepy import Kiwi

                _kiwi = Kiwi()
    return _kiwi


def kiwi_loaded() -> bool:
    return _kiwi is not None


_SPACE = re.compile(r"[\s\-_/·.,]+")


def normalise_key(text: str) -> str:
    """The spacing- and case-free key of a surface form: `Smart Factory` → `smartfactory`."""
    return _SPACE.sub("", text).lower()


def analyse_text(text: str, *, limit: int | None = None) -> list[str]:
    """Terms of `text` (repeated as often as they occur, so term frequency survives).

    With `limit`, text longer than that raises AnalysisError instead of being cut silently.
    """
    text = (text or "").strip()
    if limit is not None and len(text) > limit:
        raise AnalysisError(
            _("글이 너무 깁니다: %(length)s자입니다. %(limit)s자 이내로 줄여 주세요.")
            % {"length": f"{len(text):,}", "limit": f"{limit:,}"}
        )
    if not text:
        return []
    tokens = get_kiwi().tokenize(text[: limit or QUERY_MAX_LENGTH * 4])
    return terms_from_tokens([(t.form, t.tag, t.start, t.len) for t in tokens])


def terms_from_tokens(tokens: list[tuple[str, str, int, int]]) -> list[str]:
    """The terms of a Kiwi token stream (form, tag, start, length); separated from Kiwi for testing."""
    terms: list[str] = []
    run: list[str] = []  # the current run of adjacent content morphemes (spaces allowed, particles not)
    previous_end = -1
    pending_object: str | None = None  # a noun followed by an object particle (을/를)

    def flush() -> None:
        words = [w for w in run if w not in STOP_WORDS]
        for word in words:
            if not word.isdigit():
                terms.append(word)
        # Joins use the run as written (stop words break it) so that `스마트 팩토리` meets `스마트팩토리`.
        for n in range(2, MAX_JOIN + 1):
            for i in range(len(run) - n + 1):
                piece = run[i : i + n]
                if any(w in STOP_WORDS for w in piece):
                    continue
                terms.append("".join(piece))
        run.clear()

    for form, tag, start, length in tokens:
        if tag in CONTENT_TAGS:
            word = form.lower()
            if tag == "SL" and run and start == previous_end and run[-1].isdigit():
                # `3D`: a number glued to a foreign word is one word.
                run[-1] = run[-1] + word
            else:
                if pending_object and not run and tag in NOUN_TAGS and word not in STOP_WORDS:
                    terms.append(pending_object + word)
                run.append(word)
            pending_object = None
        elif tag == "XSN" and run and start == previous_end:
            # A noun suffix belongs to its noun: `자동` + `화` → `자동화`.
            run[-1] = run[-1] + form
        else:
            last = run[-1] if run else None
            flush()
            pending_object = last if tag == "JKO" and last and last not in STOP_WORDS else None
        previous_end = start + length
    flush()
    return terms


def content_terms(terms: list[str]) -> list[str]:
    """Distinct terms in first-seen order (for explanations)."""
    return list(dict.fromkeys(terms))
