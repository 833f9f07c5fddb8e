from __future__ import annotations

from typing import Any

from django.utils.functional import SimpleLazyObject

from .scope import scope_of


def access(request: Any) -> dict[str, Any]:
    """`scope` in every template, computed only if the template asks for it."""
    return {"scope": SimpleLazyObject(lambda: scope_of(getattr(request, "user", None)))}
