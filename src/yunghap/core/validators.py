"""Validators shared by every app: business registration numbers and KSIC codes."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_BRN_WEIGHTS = (1, 3, 7, 1, 3, 7, 1, 3, 5)


def normalize_brn(value: object) -> str:
    """Strip hyphens and spaces: `116-82-00276` → `1168200276`."""
    return re.sub(r"[\s\-]", "", str(value or ""))


def brn_is_valid(value: str) -> bool:
    """The National Tax Service check digit of a 10-digit business registration number."""
    digits = normalize_brn(value)
    # ASCII only: "²".isdigit() is true, yet int() refuses it.
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        return False
    nums = [int(c) for c in digits]
    total = sum(n * w for n, w in zip(nums[:9], _BRN_WEIGHTS, strict=True))
    total += (nums[8] * 5) // 10
    return (10 - total % 10) % 10 == nums[9]


def validate_brn(value: str) -> None:
    digits = normalize_brn(value)
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise ValidationError(_("사업자등록번호는 숫자 10자리여야 합니다."), code="brn_length")
    if not brn_is_valid(digits):
        raise ValidationError(_("사업자등록번호의 검증번호가 맞지 않습니다."), code="brn_checksum")


def format_brn(value: str) -> str:
    digits = normalize_brn(value)
    if len(digits) != 10:
        return value
    return f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"


def ksic_division_of(code: str) -> str:
    """A KSIC code of any depth (`C26`, `26`, `26110`) → its 2-digit division, or '' if malformed."""
    cleaned = re.sub(r"[\s\-.]", "", str(code or "")).upper()
    if cleaned[:1].isalpha():
        cleaned = cleaned[1:]
    if len(cleaned) < 2 or not (cleaned.isascii() and cleaned.isdigit()):
        return ""
    return cleaned[:2]
