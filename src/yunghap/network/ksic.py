"""KSIC codes as firms write them, checked against the reference: one rule for the form, the import and
anything else that takes a code (architecture principle 12).

A firm's `ksic` cell may hold several codes: `26;62`, `29110;28`. The first is the main industry (its
division counts in a group's make-up and is the "own industry" matching leaves out); the others are
secondary industries. Codes are separated by `;` (the export form), and `,`, `/` or a line break are read
alike, as offices type them. A code is a division (`26`) or a finer code (`261`, `2612`, `26121`), with or
without its section letter (`C26`); it is checked against the reference:

* the division must be one of KSIC-10's (`network/data/ksic10_divisions.csv`, the `Industry` rows);
* a section letter must be the division's own section (`C26` yes, `A26` no);
* a finer code must be one the reference lists (`ksic10_finer_codes.csv`, or a prefix of one) when the
  reference lists finer codes of that division; divisions without finer reference rows are checked on
  the division alone (the file is reference data to complete, not code).
"""

from __future__ import annotations

import csv
import functools
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .reference import DATA_DIR

SEPARATORS = re.compile(r"[;,/\n\r]+")
EXPORT_SEPARATOR = ";"
_CODE = re.compile(r"([A-Za-z]?)(\d{2,5})")


@functools.cache
def finer_codes() -> dict[str, frozenset[str]]:
    """Division → the finer codes the reference lists (each 5-digit code with its 3- and 4-digit parents)."""
    found: dict[str, set[str]] = {}
    with open(DATA_DIR / "ksic10_finer_codes.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            found.setdefault(row["division"].strip(), set()).update(code[:n] for n in range(3, len(code) + 1))
    return {division: frozenset(codes) for division, codes in found.items()}


@dataclass(frozen=True)
class Divisions:
    """The reference divisions in one query: code → (industry id, section code)."""

    by_code: dict[str, tuple[int, str]]

    @classmethod
    def load(cls) -> Divisions:
        from .models import Industry

        rows = Industry.objects.values_list("id", "code", "section__code")
        return cls({code: (pk, section) for pk, code, section in rows})

    def check(self, raw: str) -> str:
        """One code → its division's code; ValueError with a Korean message if the reference lacks it."""
        text = re.sub(r"[\s\-.]", "", str(raw or ""))
        match = _CODE.fullmatch(text)
        if not match or not text.isascii():
            raise _unknown(raw, _("숫자 2~5자리여야 합니다. 예: 26 또는 26121"))
        letter, digits = match[1].upper(), match[2]
        division = digits[:2]
        found = self.by_code.get(division)
        if found is None:
            raise _unknown(raw, _("KSIC-10 중분류에 %(division)s이(가) 없습니다") % {"division": division})
        if letter and letter != found[1]:
            raise _unknown(
                raw,
                _("중분류 %(division)s은(는) 대분류 %(section)s에 속합니다")
                % {"division": division, "section": found[1]},
            )
        listed = finer_codes().get(division)
        if len(digits) > 2 and listed is not None and digits not in listed:
            raise _unknown(raw, _("KSIC-10 분류표에 없는 세부 코드입니다"))
        return division

    def parse_list(self, value: Any) -> tuple[int, list[int]]:
        """A `ksic` cell → (main industry id, secondary industry ids in the order written, no repeats)."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            # An XLSX number cell: 1 is division 01 (Excel drops the leading zero).
            value = str(int(value)).zfill(2) if float(value).is_integer() else str(value)
        items = [item.strip() for item in SEPARATORS.split(str(value or "")) if item.strip()]
        if not items:
            raise ValueError(_("값이 비어 있습니다."))
        ids: list[int] = []
        for item in items:
            industry_id = self.by_code[self.check(item)][0]
            if industry_id not in ids:
                ids.append(industry_id)
        return ids[0], ids[1:]


def _unknown(raw: Any, reason: str) -> ValueError:
    return ValueError(
        _("알 수 없는 KSIC 업종 코드입니다: '%(value)s' (%(reason)s)") % {"value": raw, "reason": reason}
    )


def validate_ksic_code(value: str) -> None:
    """The form and model validator of one KSIC code (the same rule as the import)."""
    try:
        Divisions.load().check(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="ksic") from exc


def join_codes(codes: list[str]) -> str:
    """Codes as the export writes them, and the import reads back: `26;62`."""
    return EXPORT_SEPARATOR.join(codes)
