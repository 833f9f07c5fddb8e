"""The password rule of the Korean personal-data safety standard.

개인정보의 안전성 확보조치 기준 해설: of the four kinds 영문 대문자, 영문 소문자, 숫자, 특수문자, a password
combines at least two with at least 10 characters, or at least three with at least 8 characters. Any
character that is not an ASCII letter or digit (punctuation, a space, Hangul) counts as 특수문자.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_kinds(password: str) -> int:
    kinds = [
        any("A" <= c <= "Z" for c in password),
        any("a" <= c <= "z" for c in password),
        any("0" <= c <= "9" for c in password),
        any(not (c.isascii() and c.isalnum()) for c in password),
    ]
    return sum(kinds)


class CharacterClassValidator:
    """≥ `long_length` characters of ≥ 2 kinds, or ≥ `short_length` characters of ≥ 3 kinds."""

    def __init__(self, long_length: int = 10, short_length: int = 8) -> None:
        self.long_length = long_length
        self.short_length = short_length

    def validate(self, password: str, user: Any = None) -> None:
        length, kinds = len(password), character_kinds(password)
        if (kinds >= 2 and length >= self.long_length) or (kinds >= 3 and length >= self.short_length):
            return
        if length < self.short_length:
            raise ValidationError(
                _("비밀번호가 너무 짧습니다(%(length)d자). ") % {"length": length} + self.get_help_text(),
                code="password_too_short",
            )
        raise ValidationError(
            _("비밀번호가 %(length)d자이고 문자 종류가 %(kinds)d가지입니다. ")
            % {"length": length, "kinds": kinds}
            + self.get_help_text(),
            code="password_too_simple",
        )

    def get_help_text(self) -> str:
        return _(
            "비밀번호는 영문 대문자·영문 소문자·숫자·특수문자 중 2종류 이상을 섞어 %(long)d자 이상, "
            "또는 3종류 이상을 섞어 %(short)d자 이상이어야 합니다."
        ) % {"long": self.long_length, "short": self.short_length}
