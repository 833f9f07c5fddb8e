"""Masking personal data for those who do not need to see it (홍*동, 010-****-5678, ho***@example.com)."""

from __future__ import annotations

import re


def mask_name(name: str) -> str:
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_phone(phone: str) -> str:
    phone = (phone or "").strip()
    digits = re.sub(r"\D", "", phone)
    if len(digits) < 7:
        return "*" * len(phone)
    last = digits[-4:]
    if digits.startswith("02"):
        head = "02"
    elif len(digits) >= 10:
        head = digits[:3]
    else:
        head = digits[: len(digits) - 8] or digits[:2]
    return f"{head}-****-{last}"


def mask_email(email: str) -> str:
    email = (email or "").strip()
    if "@" not in email:
        return "*" * len(email)
    local, domain = email.split("@", 1)
    visible = local[:2] if len(local) > 2 else local[:1]
    return f"{visible}***@{domain}"
