"""Password change (signed in) and reset by e-mail: Django's views with our templates, mails and audit.

The reset request answers the same whether or not the address belongs to an account, and sends its mail
from a background task so that the answer also takes the same time. Each change of a password writes one
audit row (never the password). Changing or resetting a password ends the user's other sessions: they
carry the old password's hash, which Django checks on every request.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db import transaction
from django.http import HttpResponse
from django.template import loader
from django.urls import reverse_lazy

from yunghap.core.audit import record_change

from .tasks import send_account_mail


class KrdsInputs:
    """KRDS text inputs for Django's auth forms."""

    fields: dict[str, Any]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "krds-input"
            if "<ul" in str(field.help_text):
                # The shared form include puts help text in a <p>, where Django's <ul> of rules is invalid HTML.
                field.help_text = " ".join(password_validators_help_texts())


class PasswordChangeForm(KrdsInputs, auth_forms.PasswordChangeForm):
    pass


class SetPasswordForm(KrdsInputs, auth_forms.SetPasswordForm):  # type: ignore[type-arg]  # generic only in the stubs
    pass


class PasswordResetForm(KrdsInputs, auth_forms.PasswordResetForm):
    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        body = loader.render_to_string(email_template_name, context)
        user = context.get("user")
        if user is not None:
            record_change(None, "user.password_reset_request", user, {})
        transaction.on_commit(lambda: send_account_mail.enqueue(subject, body, to_email))


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record_change(self.request.user, "user.password_change", form.user, {})
        return response


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            record_change(form.user, "user.password_reset", form.user, {})
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
