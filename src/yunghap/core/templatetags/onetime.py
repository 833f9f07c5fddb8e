"""`{% one_time_token %}`: the hidden one-time token for a create form written by hand (`core.onetime`)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from yunghap.core.onetime import FIELD, new_token

register = template.Library()


@register.simple_tag
def one_time_token() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
