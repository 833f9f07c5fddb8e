"""KRDS form components: every Django form of the site renders KRDS markup through this renderer.

`settings.FORM_RENDERER` is `KrdsFormRenderer`. It reads templates through the project's TEMPLATES
(so `templates/django/forms/widgets/*.html` override Django's own) and gives every form the bound field
`KrdsBoundField`, which puts the KRDS class of its control (`krds-input`, `krds-form-select`, ...) and a
`data-component` attribute on every widget. The attribute is emitted by nothing else: a test walks every page
and fails on a visible control without it (tests/core/test_components.py).

Widgets and fields of our own: `MoneyField` (원, thousands separators while typing, parsed on the server),
`DateInput` (a native date picker that always submits YYYY-MM-DD).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceField
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

EMPTY_CHOICE_LABEL = _("선택하세요")
DJANGO_DASHES = "---------"


def component_of(widget: forms.Widget) -> str:
    """The component name of a widget: what `data-component` says and what picks its KRDS class."""
    if isinstance(widget, MoneyInput):
        return "money"
    if isinstance(widget, forms.DateInput) or getattr(widget, "input_type", "") == "date":
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a RadioSelect subclass: test it first
        return "checkbox"
    if isinstance(widget, forms.RadioSelect):
        return "radio"
    if isinstance(widget, forms.CheckboxInput):
        return "switch" if getattr(widget, "switch", False) else "checkbox"
    if isinstance(widget, forms.SelectMultiple):
        return "multiselect"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.NumberInput):
        return "number"
    return "input"


CLASSES = {
    "money": "krds-input money-input",
    "date": "krds-input date-input",
    "select": "krds-form-select",
    "multiselect": "krds-form-select multi-select",
    "textarea": "krds-input",
    "file": "krds-file-input",
    "number": "krds-input",
    "input": "krds-input",
    "radio": "",
    "checkbox": "",
    "switch": "",
}


class KrdsBoundField(forms.BoundField):
    """A bound field whose widget carries its KRDS class, `data-component`, and Korean empty choices."""

    def build_widget_attrs(self, attrs: dict[str, Any], widget: forms.Widget | None = None) -> dict[str, Any]:
        widget = widget or self.field.widget
        attrs = super().build_widget_attrs(attrs, widget)
        if widget.is_hidden:
            return attrs
        component = component_of(widget)
        attrs["data-component"] = component
        extra = CLASSES[component]
        if extra:
            present = str(attrs.get("class") or widget.attrs.get("class") or "")
            missing = [c for c in extra.split() if c not in present.split()]
            attrs["class"] = " ".join([present, *missing]).strip()
        if self.errors and component == "select":
            attrs["class"] = f"{attrs['class']} is-error"
        return attrs

    def as_widget(
        self, widget: forms.Widget | None = None, attrs: Any = None, only_initial: bool = False
    ) -> Any:
        _korean_empty_choice(self.field)
        return super().as_widget(widget, attrs, only_initial)

    @property
    def component(self) -> str:
        return component_of(self.field.widget)

    @property
    def error_id(self) -> str:
        return f"{self.auto_id}_error" if self.auto_id else ""


def _korean_empty_choice(field: forms.Field) -> None:
    """Selects say "선택하세요" where Django would show "---------" (model choice fields and blank choices)."""
    if isinstance(field, ModelChoiceField):
        if field.empty_label == DJANGO_DASHES:
            field.empty_label = str(EMPTY_CHOICE_LABEL)
        return
    choices = getattr(field.widget, "choices", None)
    if isinstance(choices, list) and any(label == DJANGO_DASHES for _value, label in choices):
        field.widget.choices = [
            (value, EMPTY_CHOICE_LABEL if label == DJANGO_DASHES else label) for value, label in choices
        ]


class KrdsFormRenderer(TemplatesSetting):
    """Renders forms, fields and widgets with the project's templates (KRDS markup)."""

    form_template_name = "components/form.html"
    field_template_name = "components/field.html"
    bound_field_class = KrdsBoundField


# -- money ------------------------------------------------------------------------------------------------


class MoneyInput(forms.TextInput):
    """Amounts in 원: the number is shown with thousands separators (components.js adds them while
    typing); the suffix "원" sits beside the input."""

    template_name = "components/widgets/money.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        base = {"inputmode": "numeric", "autocomplete": "off", "data-money": ""}
        super().__init__({**base, **(attrs or {})})

    def format_value(self, value: Any) -> str | None:
        if value in (None, ""):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return f"{int(value):,}"
        return str(value)


MONEY_NOISE = re.compile(r"[\s,，_원₩]|KRW", re.IGNORECASE)


def parse_money(value: Any) -> int | None:
    """ "1,234,000원", "₩ 1234000", "１２３" → an int; "" → None; anything else raises ValueError."""
    if value in (None, ""):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = MONEY_NOISE.sub("", str(value))
    # Full-width digits (a Korean IME's number mode) count as digits.
    text = text.translate({ord(c): ord("0") + i for i, c in enumerate("０１２３４５６７８９")})
    if not text:
        return None
    sign = 1
    if text[0] in "-−":
        sign, text = -1, text[1:]
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"not an amount: {value!r}")
    return sign * int(text)


class MoneyField(forms.IntegerField):
    """An amount in whole 원, typed with or without separators and "원"."""

    widget = MoneyInput
    default_error_messages = {
        "invalid": _("금액은 숫자로 입력해 주세요 (예: 1,234,000원)."),
        "min_value": _("금액은 %(limit_value)s원 이상이어야 합니다."),
        "max_value": _("금액은 %(limit_value)s원 이하여야 합니다."),
    }

    def __init__(self, *, min_value: int | None = 0, **kwargs: Any) -> None:
        super().__init__(min_value=min_value, **kwargs)
        # IntegerField adds a NumberInput's min/max; the money input is text, so no browser spinner.
        self.widget.attrs.pop("min", None)
        self.widget.attrs.pop("max", None)
        self.widget.attrs.pop("step", None)

    def to_python(self, value: Any) -> int | None:
        try:
            return parse_money(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {}


# -- dates --------------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    """A native date picker; it always submits YYYY-MM-DD, whatever the browser shows."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(attrs=attrs, **kwargs)


class ToggleSwitch(forms.CheckboxInput):
    """A yes/no setting shown as the KRDS toggle switch (krds-form-toggle-switch)."""

    switch = True
