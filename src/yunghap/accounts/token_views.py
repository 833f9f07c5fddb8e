"""The "API 토큰" pages of every signed-in user: their tokens, a new one (shown once), revoking one; and
central staff's revoking of all tokens of an account (accounts user detail).

The new token is in the POST's answer only: not in a URL, not in the session, not in a message. Reloading
that answer posts the form's one-time token again, which `submit_once` refuses, so the page that follows is
the list, without the token."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from yunghap.core import onetime
from yunghap.core.confirm import ConfirmForm, confirm_page

from . import management_services as accounts
from .models import ApiToken
from .scope import scope_of
from .token_forms import TokenCreateForm
from .tokens import create_token, revoke_all, revoke_token


def token_state(token: ApiToken) -> str:
    if token.revoked_at:
        return "revoked"
    if token.expires_on and token.expires_on < timezone.localdate():
        return "expired"
    return "active"


@login_required
@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = list(ApiToken.objects.filter(user=request.user.pk).order_by("-created_at", "-id"))
    rows = [(t, token_state(t)) for t in tokens]
    return render(request, "accounts/tokens/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def token_create(request: HttpRequest) -> HttpResponse:
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = onetime.submit_once(
                request,
                form,
                lambda: create_token(
                    request.user,
                    actor=request.user,
                    name=data["name"],
                    can_write=data["can_write"],
                    expires_on=data["expires_on"],
                    allowed_addresses=data["allowed_addresses"],
                ),
                result_url=reverse("accounts:token_list"),
            )
        except onetime.AlreadySubmitted as done:
            # A reload of the answer: the token was shown once and is not shown again.
            return done.response(request, reverse("accounts:token_list"))
        response = render(request, "accounts/tokens/created.html", {"token": new.token, "raw": new.raw})
        response["Cache-Control"] = "private, no-store"
        return response
    return render(request, "accounts/tokens/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user.pk), pk=pk)
    done_url = reverse("accounts:token_list")
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if token.revoked_at:
        messages.info(request, _("이미 폐기된 토큰입니다."))
        return redirect(done_url)
    if request.method == "POST" and form.is_valid():
        try:
            onetime.submit_once(
                request, form, lambda: revoke_token(token, actor=request.user), result_url=done_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, done_url)
        messages.success(request, _("%(prefix)s… 토큰을 폐기했습니다.") % {"prefix": token.prefix})
        return redirect(done_url)
    return confirm_page(
        request,
        form,
        title=_("API 토큰 폐기"),
        summary=[
            _("%(prefix)s…(%(name)s) 토큰을 폐기합니다.")
            % {"prefix": token.prefix, "name": token.name or "—"},
            _("폐기한 토큰으로 보내는 요청은 바로 거절되며(401) 되살릴 수 없습니다."),
        ],
        action_label=_("폐기"),
        cancel_url=done_url,
        crumbs=[(_("내 정보"), reverse("accounts:profile")), (_("API 토큰"), done_url)],
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_tokens_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    """Central staff revoke every active token of an account (a lost laptop, a leaver)."""
    if not accounts.can_manage_accounts(request.user):
        raise PermissionDenied
    account = get_object_or_404(accounts.users_visible_to(request.user), pk=pk)
    if not scope_of(request.user).central:
        raise PermissionDenied
    done_url = reverse("accounts:user_detail", kwargs={"pk": account.pk})
    active = ApiToken.objects.filter(user=account, revoked_at__isnull=True).count()
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            count = onetime.submit_once(
                request, form, lambda: revoke_all(account, actor=request.user), result_url=done_url
            )
        except onetime.AlreadySubmitted as done:
            return done.response(request, done_url)
        messages.success(request, _("API 토큰 %(count)d개를 폐기했습니다.") % {"count": count})
        return redirect(done_url)
    return confirm_page(
        request,
        form,
        title=_("API 토큰 모두 폐기"),
        summary=[
            _("%(username)s 계정의 사용 중인 API 토큰 %(count)d개를 모두 폐기합니다.")
            % {"username": account.username, "count": active},
            _("폐기한 토큰으로 보내는 요청은 바로 거절되며(401) 되살릴 수 없습니다."),
        ],
        action_label=_("모두 폐기"),
        cancel_url=done_url,
        allowed=active > 0,
        crumbs=[(_("계정 관리"), reverse("accounts:user_list")), (account.username, done_url)],
    )
