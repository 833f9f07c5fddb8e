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

A need often says what the firm makes as well as what it needs ("비전검사 장비를 만드는데 CNC 가공과 사출
성형 협력사를 찾습니다"). `analyse_need` splits such a text into clauses and tells the sought ones (찾다,
구하다, 필요, 원하다, 싶다 …) from the seeker's description of itself (a clause whose predicate is 만들다,
생산·제조·판매·납품·공급·개발·운영하다 or a copula, a clause ending in 로서, the subject 저희는/당사는):
the need is matched on the sought terms, and the self-description only serves to keep firms that look like
the seeker's own product out of its partners. A clause that says neither is kept as sought.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
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


# -- need vs self-description ------------------------------------------------------------------------

Token = tuple[str, str, int, int]  # Kiwi form, tag, start, length

# A clause with one of these says what is sought (the lemma as Kiwi gives it).
SEEK_MARKERS = frozenset(
    [
        "찾",
        "구하",
        "원하",
        "싶",
        "필요",
        "희망",
        "모집",
        "구함",
        "원함",
        "의뢰",
        "요청",
        "수배",
        "물색",
        "구인",
    ]
)
# Nouns that, made verbs with 하다 (`생산하는`, `제조합니다`), describe what the seeker itself does.
SELF_VERBAL_NOUNS = frozenset(
    ["생산", "제조", "판매", "납품", "공급", "개발", "운영", "취급", "수출", "양산"]
)
SELF_VERBS = frozenset(["만들"])
# The seeker speaking of itself as the topic (`저희는`, `당사는`, `우리 회사는`).
SELF_SUBJECTS = frozenset(["저희", "우리", "당사", "폐사", "본사", "회사"])
# Auxiliary verbs continue the clause of the ending before them (`해 줄`, `개발하고 있는데`, `적용하고 싶다`).
AUXILIARY_TAGS = frozenset(["VX"])


@dataclass
class NeedTerms:
    sought: list[str] = field(default_factory=list)  # what the seeker needs (and what it says neutrally)
    own: list[str] = field(default_factory=list)  # what it says it makes or is, less the sought terms


def need_clauses(tokens: list[Token]) -> list[tuple[str, list[Token]]]:
    """The token stream cut into clauses, each labelled `sought`, `own` or `neutral`.

    A clause ends at a sentence or connective ending (not one an auxiliary verb follows), punctuation,
    `-는데`, `로서`, and the topic particle after the seeker naming itself (`저희는`).
    """
    clauses: list[list[Token]] = []
    current: list[Token] = []
    for i, token in enumerate(tokens):
        form, tag, _start, _length = token
        current.append(token)
        following = tokens[i + 1][1] if i + 1 < len(tokens) else ""
        previous = tokens[i - 1] if i > 0 else None
        end = (
            (tag in ("EF", "SF", "SP"))
            or (tag == "EC" and following not in AUXILIARY_TAGS)
            or (tag == "NNB" and form == "데" and previous is not None and previous[1] == "ETM")
            or _is_as(tokens, i)
            or (tag == "JX" and previous is not None and previous[0] in SELF_SUBJECTS)
        )
        if end:
            clauses.append(current)
            current = []
    if current:
        clauses.append(current)
    return [(_clause_kind(c), c) for c in clauses]


def _is_as(tokens: list[Token], i: int) -> bool:
    """`로서` (as, in `업체로서`), which Kiwi gives whole or as `로` + `서`."""
    form, tag = tokens[i][0], tokens[i][1]
    if tag != "JKB":
        return False
    if form in ("로서", "으로서"):
        return True
    return form == "서" and i > 0 and tokens[i - 1][1] == "JKB" and tokens[i - 1][0] in ("로", "으로")


def _clause_kind(clause: list[Token]) -> str:
    forms = [form for form, _tag, _s, _l in clause]
    if any(form in SEEK_MARKERS for form in forms):
        return "sought"
    for i, (form, tag, _s, _l) in enumerate(clause):
        following = clause[i + 1] if i + 1 < len(clause) else None
        if tag in ("VV", "VX") and form in SELF_VERBS:
            return "own"
        if form in SELF_VERBAL_NOUNS and following is not None and following[1] == "XSV":
            return "own"
        if tag == "VCP":
            return "own"
        if _is_as(clause, i):
            return "own"
        if tag == "JX" and i > 0 and clause[i - 1][0] in SELF_SUBJECTS:
            return "own"
    return "neutral"


def need_terms_from_tokens(tokens: list[Token]) -> NeedTerms:
    """Sought and own terms of a need's token stream; separated from Kiwi for testing."""
    sought_tokens: list[Token] = []
    own_tokens: list[Token] = []
    for kind, clause in need_clauses(tokens):
        (own_tokens if kind == "own" else sought_tokens).extend(clause)
    sought = terms_from_tokens(sought_tokens)
    if not sought:
        # Nothing but self-description (`사출 성형 업체입니다`): the whole text is what is asked.
        return NeedTerms(sought=terms_from_tokens(tokens), own=[])
    wanted = set(sought)
    return NeedTerms(sought=sought, own=[t for t in terms_from_tokens(own_tokens) if t not in wanted])


def analyse_need(text: str, *, limit: int | None = None) -> NeedTerms:
    """The terms of a need, sought apart from the seeker's description of itself."""
    text = (text or "").strip()
    if limit is not None and len(text) > limit:
        analyse_text(text, limit=limit)  # raises the Korean message
    if not text:
        return NeedTerms()
    text = text[: limit or QUERY_MAX_LENGTH * 4]
    tokens: list[Token] = []
    offset = 0
    # A line (the title, the description, the keywords) ends a clause even without a full stop.
    for line in text.split("\n"):
        tokens += [(t.form, t.tag, offset + t.start, t.len) for t in get_kiwi().tokenize(line)]
        tokens.append(("\n", "SF", offset + len(line), 1))
        offset += len(line) + 1
    return need_terms_from_tokens(tokens)
