"""One-time tokens for forms that create: three quick presses of "저장" write one record.

A create form carries a random hidden token (`OneTimeTokenMixin`). The view runs its service through
`submit_once()`, which inserts a `FormToken` row in the same transaction as the service's writes:

- the first submit that succeeds commits the token with the address of its result;
- a failed submit (an invalid form never gets here; a service error rolls back) leaves the token unused,
  so the user corrects the form and saves with the same token;
- a repeated submit, sequential or parallel, hits the unique constraint — on PostgreSQL the second insert
  waits for the first transaction and fails once it commits — and raises `AlreadySubmitted`, whose
  `response()` sends the user to the first submit's result with a message. Nothing is written again.

Reuse for a new create form: mix `OneTimeTokenMixin` into the form, and in the view

    try:
        obj = onetime.submit_once(request, form, lambda: services.create_x(...), result_url=x_url)
    except onetime.AlreadySubmitted as done:
        return done.response(request)
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import FormToken

T = TypeVar("T")

FIELD = "form_token"
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
# Tokens are kept this long; a form left open longer than that is treated as new when submitted.
DEFAULT_KEEP_DAYS = 7


def token_required() -> bool:
    """`FORM_TOKEN_REQUIRED` (default off): refuse a create POST that carries no token at all.

    Every rendered create form carries one, so browsers are always protected; off, a client that posts
    without the form (a script, an old test) is served as before, without the repeat protection.
    """
    return bool(getattr(settings, "FORM_TOKEN_REQUIRED", False))


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _clean_token(value: Any) -> str:
    if not TOKEN_PATTERN.match(value or ""):
        raise ValidationError(
            gettext_lazy("양식 정보가 올바르지 않습니다. 화면을 새로 고친 뒤 다시 입력해 주세요."),
            code="form_token",
        )
    return str(value)


def _validate_token(value: Any) -> None:
    _clean_token(value)


class OneTimeTokenMixin:
    """Adds the hidden one-time token to a Form or ModelForm used to create.

    A ModelForm bound to a saved instance (an edit) gets no token: edits are guarded by a version instead
    (`core.versions`). Pass `one_time=False` for a plain Form that edits.
    """

    fields: dict[str, forms.Field]
    form_token = ""

    def __init__(self, *args: Any, one_time: bool | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if one_time is None:
            instance = getattr(self, "instance", None)
            one_time = instance is None or instance.pk is None
        if one_time:
            # A callable initial: every rendering of an unbound form gets a fresh token; a bound form
            # (re-shown with errors) keeps the token it was posted with, which is still unused.
            self.fields[FIELD] = forms.CharField(
                widget=forms.HiddenInput,
                initial=new_token,
                max_length=64,
                validators=[_validate_token],
                required=token_required(),
            )
            self.fields[FIELD].error_messages["required"] = _(
                "양식 정보가 없습니다. 화면을 새로 고친 뒤 다시 입력해 주세요."
            )

    def clean(self) -> dict[str, Any]:
        # The token is the form's envelope, not data: taken out so that `**form.cleaned_data` still
        # matches the service's arguments (and never lands in an audit row).
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        self.form_token = cleaned.pop(FIELD, "")
        return cleaned


class AlreadySubmitted(Exception):
    """The form's token was used by an earlier submit that succeeded."""

    message = gettext_lazy("이미 처리된 요청입니다. 처음 제출한 내용으로 저장되어 있습니다.")

    def __init__(self, result_url: str) -> None:
        super().__init__(result_url)
        self.result_url = result_url

    def response(self, request: HttpRequest, fallback: str = "/") -> HttpResponse:
        messages.info(request, str(self.message))
        return HttpResponseRedirect(self.result_url or fallback)


def _claim(user: Any, token: str) -> FormToken:
    try:
        # A savepoint: a failed insert must not break the surrounding transaction on PostgreSQL.
        with transaction.atomic():
            return FormToken.objects.create(user=user, token=token)
    except IntegrityError:
        first = FormToken.objects.filter(user=user, token=token).first()
        raise AlreadySubmitted(first.result_url if first else "") from None


def submit_once(
    request: HttpRequest,
    form: forms.BaseForm,
    action: Callable[[], T],
    *,
    result_url: Callable[[T], str] | str,
) -> T:
    """Run `action` (the service call) at most once for the form's token, and remember where it led.

    Raises `AlreadySubmitted` for a token already used, and whatever `action` raises (then the token
    stays unused).
    """
    token = getattr(form, "form_token", "")
    if not token and not token_required():
        with transaction.atomic():
            return action()
    token = _clean_token(token)
    with transaction.atomic():
        claim = _claim(request.user, token)
        result = action()
        claim.result_url = result_url(result) if callable(result_url) else result_url
        claim.save(update_fields=["result_url"])
    purge_tokens(request.user)
    return result


def purge_tokens(user: Any = None) -> int:
    """Forget tokens older than `FORM_TOKEN_KEEP_DAYS` (of one user: cheap enough to run on each submit)."""
    days = getattr(settings, "FORM_TOKEN_KEEP_DAYS", DEFAULT_KEEP_DAYS)
    old = FormToken.objects.filter(created_at__lt=timezone.now() - datetime.timedelta(days=days))
    if user is not None:
        old = old.filter(user=user)
    deleted, _details = old.delete()
    return deleted


def post_once(
    request: HttpRequest, form: forms.BaseForm, action: Callable[[], Any], *, result_url: str, success: str
) -> HttpResponse | None:
    """The whole POST of a one-time form whose action leads back to one page: a valid form runs `action`
    once, says `success` and redirects to `result_url`; a repeat gets the page of the first answer; a
    service's refusal goes onto the form. None when the form is to be shown again with its errors."""
    from yunghap.core.forms import add_service_errors

    if not form.is_valid():
        return None
    try:
        submit_once(request, form, action, result_url=result_url)
    except AlreadySubmitted as done:
        return done.response(request)
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    messages.success(request, success)
    return HttpResponseRedirect(result_url)
