"""Version checks on edits: two people editing one record never silently undo each other.

A versioned model has `version` (1 on creation, +1 on every update, by the services and by imports). The
edit form carries the version it was read at (`VersionedFormMixin`); the service calls `lock_version()`
first inside its transaction — the row is locked (`SELECT … FOR UPDATE`; SQLite's write transactions are
serialised anyway), so a parallel edit waits — and raises `StaleEdit` (code `stale`) when the row moved
on meanwhile. When the edit changes something, `bump_version()` increments it; the service's audit row
(one per changed version) tells the conflict page who changed what.

`show_conflict()` (for the view) puts the message on the form, keeps the user's input with the current
version, and returns the conflict panel's context (`templates/includes/conflict.html`, included by
`includes/form_fields.html`): `conflict_rows()` lists each field the other change touched or whose saved
value differs from the input, the saved value (masked where asked) beside the user's.

Reuse for a new edit form: give the model `version = version_field()`, mix `VersionedFormMixin` into the
form, call `lock_version` / `bump_version` in the update service, catch `StaleEdit` in the view.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AuditLog

FIELD = "version"
STALE = "stale"
MAX_CHANGES_SHOWN = 20

STALE_MESSAGE = gettext_lazy(
    "다른 사용자가 먼저 이 정보를 수정했습니다. 아래에서 바뀐 내용을 확인하고, 입력한 내용을 고쳐 "
    "다시 저장해 주세요. 다시 저장하면 입력한 내용으로 바뀝니다."
)


def version_field() -> models.PositiveIntegerField[int, int]:
    """The `version` of a record edited by several people: 1 when created, +1 on every update."""
    return models.PositiveIntegerField(gettext_lazy("버전"), default=1, db_default=1, editable=False)


class StaleEdit(ValidationError):
    """The record changed after the form was read. `current` is the record as it is now."""

    def __init__(self, current: models.Model, expected: int) -> None:
        super().__init__(STALE_MESSAGE, code=STALE)
        self.current = current
        self.expected = expected
        self.changes = changes_since(current, expected)

    @property
    def changed_fields(self) -> list[str]:
        names: list[str] = []
        for entry in self.changes:
            names += [n for n in entry.changes if n != FIELD and n not in names]
        return names


def lock_version(obj: models.Model, expected: int | None) -> None:
    """Lock `obj`'s row and check it is still at `expected` (default: the version `obj` was read at).

    Call inside the service's transaction, before reading anything the edit depends on.
    """
    model = type(obj)
    current = model._base_manager.select_for_update().filter(pk=obj.pk).values_list(FIELD, flat=True).first()
    wanted = getattr(obj, FIELD) if expected is None else expected
    if current is None or current != wanted:
        raise StaleEdit(model._base_manager.get(pk=obj.pk), wanted)
    setattr(obj, FIELD, current)


def bump_version(obj: models.Model) -> None:
    """Count one more version of `obj` (before `obj.save()`, when the edit changes something)."""
    setattr(obj, FIELD, getattr(obj, FIELD) + 1)


class OtherChange:
    def __init__(self, entry: AuditLog) -> None:
        self.actor = entry.actor
        self.at = entry.created_at
        self.changes: dict[str, Any] = entry.changes or {}

    @property
    def who(self) -> str:
        if self.actor is None:
            return _("일괄 등록(가져오기)")
        return self.actor.get_full_name() or self.actor.get_username()

    @property
    def when(self) -> str:
        return date_format(localtime(self.at), "Y-m-d H:i")


def changes_since(obj: models.Model, version: int) -> list[OtherChange]:
    """The audited updates of `obj` after `version`, oldest first.

    Each service update that changes a record writes one audit row and one version, so these are the
    latest (current − read) update rows; an import bumps versions without a row per record, so there may
    be fewer (the panel then also compares the saved values with the submitted ones).
    """
    steps = min(getattr(obj, FIELD) - version, MAX_CHANGES_SHOWN)
    if steps <= 0:
        return []
    entries = AuditLog.objects.filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk), action__endswith=".update"
    ).select_related("actor")[:steps]
    return [OtherChange(entry) for entry in entries][::-1]


class VersionedFormMixin:
    """Adds the hidden version an edit form was read at; `form.expected_version` after validation."""

    fields: dict[str, forms.Field]
    data: Any
    expected_version: int | None = None

    def __init__(self, *args: Any, version: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if version is None and instance is not None and instance.pk is not None:
            version = getattr(instance, FIELD, None)
        if version is not None:
            # Not required: a client that sends no version gets the check against the version the
            # request read (no silent overwrite of a change made while the request ran), not an error.
            self.fields[FIELD] = forms.IntegerField(
                widget=forms.HiddenInput, initial=version, min_value=1, required=False
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        self.expected_version = cleaned.pop(FIELD, None)
        return cleaned

    def show_conflict(self, error: StaleEdit) -> None:
        """Keep the user's input, move the hidden version to the current one: saving again is deliberate."""
        data = self.data.copy()
        data[self.add_prefix(FIELD)] = str(getattr(error.current, FIELD))  # type: ignore[attr-defined]
        self.data = data


def _display(form_field: forms.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool):
        return _("예") if value else _("아니요")
    if isinstance(value, list | tuple | set | models.QuerySet):
        return ", ".join(_display(form_field, v) for v in value) or "—"
    choices = getattr(form_field, "choices", None)
    if choices and not isinstance(form_field, forms.ModelChoiceField):
        for key, label in choices:
            if str(key) == str(value):
                return str(label)
    return str(value)


def conflict_rows(
    form: forms.BaseForm,
    error: StaleEdit,
    *,
    current_value: Callable[[str], Any] | None = None,
    mask: dict[str, Callable[[str], str]] | None = None,
    fields: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows for the conflict panel: label, the value saved now (by the other person), the user's value.

    A row for each field the other change touched (from the audit log, `by_other`) and each field whose
    saved value differs from the submitted one (an import leaves no audit row per record). `mask` maps a
    personal field to
    its mask for a user who may not see it; `current_value` reads a field of the current record where an
    attribute will not do (many-to-many, lists).
    """
    current = error.current
    read = current_value or (lambda name: getattr(current, name, None))
    mask = mask or {}
    touched = set(error.changed_fields)
    names = list(fields) if fields is not None else [n for n in form.fields if n != FIELD]
    rows = []
    for name in names:
        form_field = form.fields.get(name)
        if form_field is None or form_field.disabled and name not in touched:
            continue
        theirs = _display(form_field, read(name))
        mine = _display(form_field, form.cleaned_data.get(name))
        if theirs == mine and name not in touched:
            continue
        if name in mask and theirs != "—":
            theirs = mask[name](theirs)
        rows.append(
            {
                "name": name,
                "label": str(form_field.label or name),
                "theirs": theirs,
                "mine": mine,
                "by_other": name in touched,
            }
        )
    return rows


def show_conflict(form: forms.BaseForm, error: StaleEdit, **rows_options: Any) -> dict[str, Any]:
    """For an edit view that caught `StaleEdit`: put the message on the form, keep the user's input with
    the current version, and return the context of `includes/conflict.html`."""
    rows = conflict_rows(form, error, **rows_options)
    form.add_error(None, error)
    if isinstance(form, VersionedFormMixin):
        form.show_conflict(error)
    return {"conflict": {"rows": rows, "changes": error.changes}}
