"""The capability vocabulary as a matcher: terms → capabilities, spacing-, case- and typo-tolerant.

Built from `Capability` rows (or plain tuples in benchmarks) and kept per process; it needs no Kiwi:
a surface form's key is the form without spaces, lower-cased, which is exactly how analysed text joins
adjacent nouns (`금형 제작` → `금형제작`). A term that is no key gets a second chance as a typo:
candidates sharing a jamo trigram, accepted within one Hangul jamo edit (two for long forms).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from .analysis import STOP_WORDS, normalise_key

_HANGUL_BASE = 0xAC00
_HANGUL_LAST = 0xD7A3
_CHO = [chr(0x1100 + i) for i in range(19)]
_JUNG = [chr(0x1161 + i) for i in range(21)]
_JONG = [""] + [chr(0x11A8 + i) for i in range(27)]


def jamo(text: str) -> str:
    """Hangul syllables decomposed into jamo (`팩토리` → ㅍㅐㄱㅌㅗㄹㅣ); other characters unchanged."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_BASE <= code <= _HANGUL_LAST:
            index = code - _HANGUL_BASE
            out.append(_CHO[index // 588] + _JUNG[(index % 588) // 28] + _JONG[index % 28])
        else:
            out.append(ch)
    return "".join(out)


GENERIC_HEADS = frozenset(
    [
        "부품",
        "장치",
        "설비",
        "공정",
        "시험",
        "제작",
        "가공",
        "소재",
        "재료",
        "제품",
        "시스템",
        "모듈",
        "라인",
        "기구",
        "설계",
        "인증",
        "서비스",
        "장비",
        "기기",
        "솔루션",
        "플랫폼",
        "공법",
        "처리",
        "관리",
        "분석",
        "생산",
        "소프트웨어",
        "sw",
    ]
)


def _within(a: str, b: str, limit: int) -> bool:
    """Levenshtein distance of a and b is at most `limit` (banded, early exit)."""
    if abs(len(a) - len(b)) > limit:
        return False
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > limit:
            return False
        previous = current
    return previous[-1] <= limit


def _grams(text: str) -> set[str]:
    """Jamo trigrams: a typo leaves most of them intact, so they find the candidates to compare."""
    return {text[i : i + 3] for i in range(len(text) - 2)}


class Vocabulary:
    def __init__(self, entries: Iterable[tuple[int, str, Iterable[str]]]) -> None:
        """entries: (capability id, name, surface forms including the name)."""
        self.names: dict[int, str] = {}
        self.key_caps: dict[str, set[int]] = defaultdict(set)
        entries_list = [(cap_id, name, list(forms)) for cap_id, name, forms in entries]
        for cap_id, name, forms in entries_list:
            self.names[cap_id] = name
            for form in [name, *forms]:
                key = normalise_key(form)
                if key:
                    self.key_caps[key].add(cap_id)
        # Head words: the parts of a spaced form (`CNC 가공` → `가공`) name the capability when no other
        # capability shares them, so that unlisted variants (`정밀 가공`) still meet it.
        part_caps: dict[str, set[int]] = defaultdict(set)
        for cap_id, name, forms in entries_list:
            for form in [name, *forms]:
                parts = form.split()
                if len(parts) < 2:
                    continue
                # The head (last word) of a Korean compound, and acronyms anywhere (`CNC`, `LED`);
                # modifiers (`정밀`, `산업용`) and generic heads (`부품`, `설비`) say too little.
                heads = [parts[-1]] + [p for p in parts[:-1] if p.isascii()]
                for part in heads:
                    key = normalise_key(part)
                    if len(key) >= 2 and key not in STOP_WORDS and key not in GENERIC_HEADS:
                        part_caps[key].add(cap_id)
        self.part_caps = {k: v for k, v in part_caps.items() if len(v) == 1 and k not in self.key_caps}
        self._by_gram: dict[str, set[str]] = defaultdict(set)
        self._jamo: dict[str, str] = {}
        for key in self.key_caps:
            if _typo_eligible(key):
                self._jamo[key] = jamo(key)
                for gram in _grams(self._jamo[key]):
                    self._by_gram[gram].add(key)
        self._cache: dict[str, tuple[tuple[int, ...], bool]] = {}

    def __len__(self) -> int:
        return len(self.names)

    @classmethod
    def from_db(cls) -> Vocabulary:
        from .models import Capability

        rows = Capability.objects.values_list("id", "name", "synonyms", "english_terms")
        return cls((cap_id, name, [*(syn or []), *(eng or [])]) for cap_id, name, syn, eng in rows)

    def lookup(self, term: str) -> tuple[tuple[int, ...], bool]:
        """(capability ids, found only approximately: as a typo or by a head word) for one term."""
        hit = self._cache.get(term)
        if hit is not None:
            return hit
        key = normalise_key(term)
        caps = self.key_caps.get(key)
        if caps:
            result: tuple[tuple[int, ...], bool] = (tuple(sorted(caps)), False)
        elif key in self.part_caps:
            result = (tuple(self.part_caps[key]), True)
        else:
            result = (self._typo(key), True)
        if len(self._cache) < 500_000:
            self._cache[term] = result
        return result

    def _typo(self, key: str) -> tuple[int, ...]:
        if not _typo_eligible(key):
            return ()
        spelled = jamo(key)
        candidates: set[str] = set()
        for gram in _grams(spelled):
            candidates |= self._by_gram.get(gram, set())
        if not candidates:
            return ()
        found: set[int] = set()
        for candidate in candidates:
            target = self._jamo[candidate]
            if _syllables(candidate) <= 3:
                # Short words sit one jamo from other real words (`신제품`/`시제품`): only a swapped vowel,
                # the typo people actually make in them, counts.
                if _one_vowel_swapped(spelled, target):
                    found |= self.key_caps[candidate]
                continue
            limit = 2 if len(target) >= 12 else 1
            if _within(spelled, target, limit):
                found |= self.key_caps[candidate]
        return tuple(sorted(found))

    def capabilities_of(self, terms: Iterable[str]) -> dict[int, tuple[str, bool]]:
        """{capability id: (the term that named it, only as a typo)} for the terms of a text."""
        found: dict[int, tuple[str, bool]] = {}
        for term in terms:
            caps, typo = self.lookup(term)
            for cap_id in caps:
                if cap_id not in found or (found[cap_id][1] and not typo):
                    found[cap_id] = (term, typo)
        return found


def _syllables(key: str) -> int:
    return sum(1 for ch in key if _HANGUL_BASE <= ord(ch) <= _HANGUL_LAST)


def _one_vowel_swapped(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diffs = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    return len(diffs) == 1 and all("\u1161" <= ch <= "\u1175" for ch in diffs[0])


def _typo_eligible(key: str) -> bool:
    """Long enough that one wrong jamo is a typo rather than another word (3+ syllables, 6+ letters)."""
    hangul = sum(1 for ch in key if _HANGUL_BASE <= ord(ch) <= _HANGUL_LAST)
    if hangul:
        return hangul >= 3
    return len(key) >= 6
