"""Enrolment of the authenticator app and the code page after the password (see accounts.otp)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from yunghap.core.http import next_url

from . import otp


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("인증 코드"),
        max_length=32,
        error_messages={"required": _("인증 코드를 입력해 주세요.")},
        widget=forms.TextInput(
            attrs={"class": "krds-input", "autocomplete": "one-time-code", "autocapitalize": "none"}
        ),
    )


def _next_url(request: HttpRequest) -> str:
    return next_url(request, resolve_url(settings.LOGIN_REDIRECT_URL))


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Scan the QR code (or type the secret), confirm with the first code, then see the recovery codes once."""
    next_url = _next_url(request)
    if otp.is_verified(request.user) or not otp.second_factor_required(request.user):
        return redirect(next_url)
    if otp.has_second_factor(request.user):
        # Enrolling again would replace the device without knowing a code: that is central staff's reset.
        return redirect(_with_next("accounts:otp_verify", next_url))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm_enrolment(request, form.cleaned_data["code"])
        if codes is not None:
            return render(request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": next_url})
        form.add_error("code", _("코드가 맞지 않습니다. 앱에 표시된 6자리 숫자를 입력해 주세요."))
    enrolment = otp.pending_enrolment(request)
    return render(
        request, "accounts/otp_enrol.html", {"form": form, "enrolment": enrolment, "next": next_url}
    )


@login_required
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The code page: a code from the authenticator app or one recovery code (used up)."""
    next_url = _next_url(request)
    if otp.is_verified(request.user):
        return redirect(next_url)
    if not otp.has_second_factor(request.user):
        if otp.second_factor_required(request.user):
            return redirect(_with_next("accounts:otp_enrol", next_url))
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = otp.verify_second_factor(request.user, form.cleaned_data["code"])
        except otp.SecondFactorLocked as locked:
            until = timezone.localtime(locked.until)
            form.add_error(
                "code",
                _("인증 코드를 %(count)d번 잘못 입력했습니다. %(time)s 이후에 다시 시도해 주세요.")
                % {"count": settings.OTP_MAX_FAILURES, "time": until.strftime("%H:%M")},
            )
        else:
            if device is not None:
                otp_login(request, device)
                if isinstance(device, StaticDevice):
                    left = otp.remaining_recovery_codes(request.user)
                    messages.warning(
                        request,
                        _("복구 코드를 사용했습니다. 남은 복구 코드는 %(count)d개입니다.") % {"count": left},
                    )
                return redirect(next_url)
            form.add_error("code", _("인증 코드가 맞지 않습니다."))
    return render(request, "accounts/otp_verify.html", {"form": form, "next": next_url})


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes for a verified user (the old ones stop working); GET asks first."""
    if not otp.is_verified(request.user):
        return redirect("accounts:profile")
    if request.method == "POST":
        codes = otp.regenerate_recovery_codes(request.user, actor=request.user)
        return render(
            request, "accounts/otp_recovery_codes.html", {"codes": codes, "next": reverse("accounts:profile")}
        )
    left = otp.remaining_recovery_codes(request.user)
    return render(request, "accounts/otp_recovery_confirm.html", {"remaining": left})
