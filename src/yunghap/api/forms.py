"""The list pages' filter forms checking the API's query filters: one set of rules for both, and the
form's Korean errors become the API's 422."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from .errors import error


def filters_from(form_class: Any, filters: Schema) -> dict[str, Any]:
    data = {name: value for name, value in filters.model_dump().items() if value not in ("", None)}
    form = form_class(data)
    if not form.is_valid():
        details = [
            {"field": field, "messages": [str(m) for m in messages]}
            for field, messages in form.errors.items()
        ]
        raise error(422, "invalid", details=details)
    return dict(form.filters())
