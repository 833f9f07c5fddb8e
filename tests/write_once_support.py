"""Helpers for the write-once tests: read the hidden token / version a page rendered, run two requests at
once on PostgreSQL with their own connections."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django import forms
from django.db import connection

ALREADY = "이미 처리된 요청입니다. 처음 제출한 내용으로 저장되어 있습니다."
STALE = "다른 사용자가 먼저 이 정보를 수정했습니다"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks and unique-index waits are tested on PostgreSQL"
)

# Threads need committed rows: a transactional test. No test of the suite uses serialized rollback: its
# restore clashes with rows a flush and tests/conftest.py's reference refill create under new ids.
COMMITTED_ROWS = pytest.mark.django_db(transaction=True)


def hidden(response: Any, name: str) -> str:
    html = response.content.decode()
    match = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', html)
    assert match, f"no hidden {name} in the page"
    return match.group(1)


def token_of(response: Any) -> str:
    return hidden(response, "form_token")


def version_of(response: Any) -> str:
    return hidden(response, "version")


def messages_of(response: Any) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages]


def form_data(response: Any, form_name: str = "form") -> dict[str, Any]:
    """What a browser submits for the form the page rendered (its current values, hidden ones included)."""
    form = response.context[form_name]
    data: dict[str, Any] = {}
    for bound in form:
        if bound.field.disabled:
            continue
        value = bound.value()
        if isinstance(bound.field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField) and not value:
            continue  # nothing ticked: the browser sends nothing
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [str(v) for v in value]
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        else:
            value = str(value)
        data[bound.html_name] = value
    return data
