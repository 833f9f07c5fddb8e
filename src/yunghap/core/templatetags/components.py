"""Form components for filter bars that a view fills from values it has already parsed.

`{% select_field "region" label=_("지역연합회") choices=federations value="code" text="name" selected=region blank=_("전국") %}`
and `{% input_field "from" label=_("시작 연도") type="number" value=from min=1989 max=2100 %}` render the same
KRDS form group as a Django form field (they are one: a one-field form rendered by core/components.py), so a
filter bar needs no hand-written <select> or <input>. `choices` is a list of (value, label) pairs or of
objects read through `value` and `text` (attribute names; several, space-separated, are joined).
"""

from __future__ import annotations

from typing import Any

from django import forms, template
from django.utils.safestring import SafeString

from yunghap.core.components import DateInput

register = template.Library()


def _render(name: str, field: forms.Field, initial: Any, id_format: str) -> SafeString:
    form_class = type("ComponentForm", (forms.Form,), {name: field})
    form = form_class(initial={name: initial}, auto_id=id_format)
    return SafeString(form[name].as_field_group())


def _attribute(choice: Any, attr: str) -> Any:
    if attr == "name" and hasattr(choice, "display_name"):
        return choice.display_name
    return getattr(choice, attr)


def _pairs(choices: Any, value: str, text: str) -> list[tuple[str, str]]:
    pairs = []
    for choice in choices or []:
        if isinstance(choice, list | tuple):
            key, label = choice[0], choice[1]
        elif isinstance(choice, int | str):
            key = label = choice
        else:
            key = getattr(choice, value)
            # "code name" → "10 식료품 제조업"; reference data shows its name in the reader's language.
            parts = [_attribute(choice, attr) for attr in text.split()]
            label = " ".join(str(part() if callable(part) else part) for part in parts)
        pairs.append(("" if key is None else str(key), str(label)))
    return pairs


@register.simple_tag
def select_field(
    name: str,
    *,
    label: str,
    choices: Any,
    selected: Any = "",
    value: str = "code",
    text: str = "name",
    blank: str | None = None,
    id_format: str = "%s",
    help_text: str = "",
    widget: str = "select",
    required: bool = False,
) -> SafeString:
    """A select, or with widget="radio" a KRDS radio group (legend and one krds-form-check per choice)."""
    pairs = _pairs(choices, value, text)
    if blank is not None:
        pairs = [("", str(blank)), *pairs]
    selected_key = getattr(selected, value, selected)
    choice_widget = forms.RadioSelect if widget == "radio" else forms.Select
    field = forms.ChoiceField(
        label=label, choices=pairs, required=required, help_text=help_text, widget=choice_widget
    )
    return _render(name, field, "" if selected_key is None else str(selected_key), id_format)


@register.simple_tag
def input_field(
    name: str,
    *,
    label: str,
    value: Any = "",
    type: str = "text",
    min: Any = None,
    max: Any = None,
    id_format: str = "%s",
    help_text: str = "",
    placeholder: str = "",
    maxlength: Any = None,
) -> SafeString:
    attrs: dict[str, Any] = {}
    if min is not None:
        attrs["min"] = str(min)
    if max is not None:
        attrs["max"] = str(max)
    if placeholder:
        attrs["placeholder"] = placeholder
    if maxlength is not None:
        attrs["maxlength"] = str(maxlength)
    widget: forms.Widget
    if type == "number":
        attrs.setdefault("inputmode", "numeric")
        widget = forms.NumberInput(attrs)
        value = "" if value in (None, "") else str(value)
    elif type == "date":
        widget = DateInput(attrs)
    elif type == "search":
        widget = forms.TextInput({**attrs, "type": "search"})
        widget.input_type = "search"
    else:
        widget = forms.TextInput(attrs)
    field = forms.CharField(label=label, required=False, widget=widget, help_text=help_text)
    return _render(name, field, value, id_format)


@register.simple_tag
def choice_pairs(*values_and_labels: Any) -> list[tuple[str, str]]:
    """`{% choice_pairs "monthly" monthly "yearly" yearly as choices %}` → [("monthly", "월별"), ...]."""
    items = list(values_and_labels)
    return [(str(items[i]), str(items[i + 1])) for i in range(0, len(items) - 1, 2)]
