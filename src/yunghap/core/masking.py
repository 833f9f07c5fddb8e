"""Masking personal data for those who do not need to see it (홍*동, 010-****-5678, h***@example.com).

A mask must leave nothing that identifies the person: of a phone number only the last four digits and,
for a full number (9 digits or more), its area or operator prefix; of an e-mail address only the first
character of the local part (`ad***@` would still read as "admin" for every role address).
"""

from __future__ import annotations

import re
from collections.abc import Callable


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


# Full numbers from 9 digits (02-123-4567); shorter ones are local numbers without an area code.
FULL_NUMBER_DIGITS = 9
# Below this there is no number left to recognise once four digits are shown: mask it whole.
SHORTEST_PARTLY_SHOWN = 7


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if len(digits) < SHORTEST_PARTLY_SHOWN:
        return "*" * len(phone)
    last = digits[-4:]
    if len(digits) < FULL_NUMBER_DIGITS:
        return f"***-{last}"  # 555-1234: the exchange part would identify the line
    head = "02" if digits.startswith("02") else digits[:3]
    return f"{head}-****-{last}"


def mask_email(email: str) -> str:
    email = (email or "").strip()
    if "@" not in email:
        return "*" * len(email)
    local, domain = email.rsplit("@", 1)
    return f"{local[:1]}***@{domain}"


def is_mask_of(mask: Callable[[str], str], value: str, original: str) -> bool:
    """Is `value` a masked form of `original`, so that writing it back would destroy the real value?

    True for today's mask and for any earlier masking scheme whose visible characters agree with the
    original (an export made before the masks were tightened: `ho***@example.com`, `555-1234` shown as
    `***-1234`): each run of `*` stands for at least one hidden character.
    """
    if not value or not original or "*" not in value:
        return False
    if mask(original) == value:
        return True
    pattern = "".join(".+" if part.startswith("*") else re.escape(part) for part in re.split(r"(\*+)", value))
    return re.fullmatch(pattern, original, flags=re.DOTALL) is not None
