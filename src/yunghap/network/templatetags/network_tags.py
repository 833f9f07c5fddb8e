"""Template helpers of the registry pages: personal data shown or masked, figures and size classes."""

from __future__ import annotations

from typing import Any

from django import template

from yunghap.core.masking import mask_email, mask_name, mask_phone
from yunghap.network.models import SIZE_CLASSES

register = template.Library()

_MASKS = {"name": mask_name, "phone": mask_phone, "email": mask_email}
_SIZE_LABELS = {code: label for code, label, _low, _high in SIZE_CLASSES}


@register.simple_tag
def personal(value: str, kind: str, unmasked: bool) -> str:
    """`{% personal firm.phone "phone" show_personal %}`: the value itself only for those who may see it."""
    if not value:
        return "—"
    return value if unmasked else _MASKS[kind](value)


@register.filter
def size_label(code: str) -> Any:
    return _SIZE_LABELS.get(code, "—")


@register.filter
def decimal3(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"
