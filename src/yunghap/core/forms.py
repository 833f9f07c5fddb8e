"""Form helpers shared by every app."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, rename: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has that field
    (after `rename`, for services whose argument names differ from the form's), otherwise above the form."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        for message in error.messages:
            form.add_error(None, message)
        return
    for field, messages in error.message_dict.items():
        field = rename.get(field, field)
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
