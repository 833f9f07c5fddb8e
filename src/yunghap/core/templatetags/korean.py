"""`{% load korean %}` then `{{ firm.name|particle:"을/를" }}` → "스마트산업을" (core.korean)."""

from __future__ import annotations

from typing import Any

from django import template

from yunghap.core import korean

register = template.Library()


@register.filter(name="particle")
def particle(value: Any, pair: str) -> str:
    """The value followed by the particle of `pair` its last syllable takes (은/는, 이/가, 을/를, 와/과, 으로/로)."""
    return korean.with_particle(value, pair)


@register.filter(name="particle_only")
def particle_only(value: Any, pair: str) -> str:
    """Only the particle, for markup between the word and its particle: <b>{{ x }}</b>{{ x|particle_only:"이/가" }}."""
    return korean.particle(value, pair)
