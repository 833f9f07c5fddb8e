"""Ask first: destructive and bulk actions show what will happen before they happen.

The pattern, without JavaScript: GET on the action's URL renders `core/confirm.html`, saying exactly what
the action will do (counted by the same function the action uses) with a `ConfirmForm`; POST with that
form's one-time token does it, through `onetime.submit_once`, so a second POST of the same page does
nothing and is sent where the first one led. A POST without a valid token does nothing and shows the
confirmation again (400).

    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(request, form, lambda: services.do_it(...), result_url=done_url)
        except onetime.AlreadySubmitted as done:
            return done.response(request, done_url)
        ...
    return confirm_page(request, form, title=..., summary=[...], action_label=..., cancel_url=...)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .http import BAD_PARAMETER_STATUS
from .onetime import FIELD, OneTimeTokenMixin


class ConfirmForm(OneTimeTokenMixin, forms.Form):
    """A confirmation: nothing but its one-time token, which is required. Subclass to ask for more (a reason)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("one_time", True)
        super().__init__(*args, **kwargs)
        self.fields[FIELD].required = True


def confirm_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    summary: Sequence[str],
    action_label: str,
    cancel_url: str,
    danger: bool = True,
    allowed: bool = True,
    status: int | None = None,
    crumbs: Sequence[tuple[str, str]] = (),
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """The confirmation page. `allowed=False` shows the summary (why nothing can be done) without the form;
    `crumbs` are the breadcrumbs before the page itself, as (label, url)."""
    if status is None:
        status = BAD_PARAMETER_STATUS if form.is_bound else 200
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "summary": summary,
            "form": form,
            "action_label": action_label,
            "cancel_url": cancel_url,
            "danger": danger,
            "allowed": allowed,
            "crumbs": list(crumbs),
            **(context or {}),
        },
        status=status,
    )
