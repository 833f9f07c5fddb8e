"""Reference data in the reader's language: Korean names, with an English one for English pages."""

from __future__ import annotations

from django.utils.translation import get_language


def reader_reads_english() -> bool:
    return (get_language() or "").lower().startswith("en")


def in_reader_language(korean: str, english: str) -> str:
    """`english` on an English page when there is one, else `korean`."""
    return english if english and reader_reads_english() else korean


class BilingualName:
    """For models with `name` (Korean) and `name_en`: `display_name` is the one the reader reads."""

    name: str
    name_en: str

    @property
    def display_name(self) -> str:
        return in_reader_language(self.name, self.name_en)
