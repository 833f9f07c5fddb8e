"""Account pages for central and regional staff (list, create, grant, revoke, deactivate, reset 2FA).

Thin views: who may do what lives in `management_services`; a visible account one may not change is a
403, an account or grant outside one's scope a 404. Revoking and deactivating ask for confirmation first.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from yunghap.core.forms import add_service_errors
from yunghap.core.korean import fill

from . import management_services as accounts
from . import otp
from .admin_forms import GrantForm, UserCreateForm
from .models import User
from .scope import scope_of


def _require_staff(request: HttpRequest) -> None:
    if not accounts.can_manage_accounts(request.user):
        raise PermissionDenied


def _account(request: HttpRequest, pk: int) -> User:
    _require_staff(request)
    return get_object_or_404(accounts.users_visible_to(request.user), pk=pk)


def _visible_grants(request: HttpRequest) -> Any:
    return accounts.grants_visible_to(request.user).select_related("federation", "group", "firm")


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    query = (request.GET.get("q") or "").strip()[:100]
    users = accounts.users_visible_to(request.user).order_by("username")
    if query:
        users = users.filter(
            Q(username__icontains=query) | Q(name__icontains=query) | Q(email__icontains=query)
        )
    users = users.prefetch_related(
        Prefetch("grants", queryset=_visible_grants(request).order_by("role", "id"), to_attr="visible_grants")
    )
    page = Paginator(users, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page_obj": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def user_create(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = accounts.create_user(
                actor=request.user,
                username=data["username"],
                name=data["name"],
                email=data["email"],
                role=data["role"],
                target=form.target,
                site_url=request.build_absolute_uri("/"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                fill(
                    _(
                        "%(username)s 계정을 만들었습니다. 비밀번호를 정하는 주소를 %(email)s(으)로 보냈습니다."
                    ),
                    {"username": user.username, "email": user.email},
                ),
            )
            return redirect("accounts:user_detail", pk=user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    grants = list(_visible_grants(request).filter(user=account).order_by("role", "id"))
    hidden_grants = not scope_of(request.user).central and account.grants.count() > len(grants)
    context = {
        "account": account,
        "grants": [(g, accounts.can_revoke(request.user, g)) for g in grants],
        "hidden_grants": hidden_grants,
        "can_change": accounts.can_change_account(request.user, account),
        "can_deactivate": accounts.can_deactivate(request.user, account),
        "can_reset_otp": accounts.can_reset_second_factor(request.user, account),
        "has_second_factor": otp.has_second_factor(account),
        "otp_required": scope_of(account).staff,
        "grant_form": GrantForm(actor=request.user),
    }
    return render(request, "accounts/user_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    if not accounts.can_change_account(request.user, account):
        raise PermissionDenied
    form = GrantForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            grant = accounts.grant_role(
                account, actor=request.user, role=form.cleaned_data["role"], target=form.target
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(grant)s 역할을 부여했습니다.") % {"grant": grant})
            return redirect("accounts:user_detail", pk=account.pk)
    return render(request, "accounts/grant_form.html", {"account": account, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def grant_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    account = _account(request, pk)
    grant = get_object_or_404(_visible_grants(request).filter(user=account), pk=grant_pk)
    if not accounts.can_revoke(request.user, grant):
        raise PermissionDenied
    if request.method == "POST":
        label = str(grant)
        accounts.revoke_grant(grant, actor=request.user)
        messages.success(request, _("%(grant)s 역할을 회수했습니다.") % {"grant": label})
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/confirm.html",
        {
            "account": account,
            "title": _("역할 회수"),
            "question": _(
                "%(grant)s 역할을 회수하시겠습니까? 이 역할로 보던 화면을 더 이상 볼 수 없게 됩니다."
            )
            % {"grant": grant},
            "button": _("회수"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    if not accounts.can_deactivate(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        try:
            accounts.deactivate_user(account, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, _("%(username)s 계정을 비활성화했습니다.") % {"username": account.username}
            )
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/confirm.html",
        {
            "account": account,
            "title": _("계정 비활성화"),
            "question": _(
                "%(username)s 계정을 비활성화하시겠습니까? 이 계정으로는 더 이상 로그인할 수 없습니다. "
                "역할과 이력은 남으며 다시 활성화할 수 있습니다."
            )
            % {"username": account.username},
            "button": _("비활성화"),
        },
    )


@login_required
@require_POST
def user_reactivate(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    if not accounts.can_deactivate(request.user, account):
        raise PermissionDenied
    try:
        accounts.reactivate_user(account, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(username)s 계정을 다시 활성화했습니다.") % {"username": account.username}
        )
    return redirect("accounts:user_detail", pk=account.pk)


@login_required
@require_http_methods(["GET", "POST"])
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    if not accounts.can_reset_second_factor(request.user, account):
        raise PermissionDenied
    if request.method == "POST":
        accounts.reset_user_second_factor(account, actor=request.user)
        messages.success(
            request,
            _("%(username)s 계정의 2단계 인증을 초기화했습니다. 다음 로그인 때 다시 등록합니다.")
            % {"username": account.username},
        )
        return redirect("accounts:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/confirm.html",
        {
            "account": account,
            "title": _("2단계 인증 초기화"),
            "question": _(
                "%(username)s 계정의 인증 앱과 복구 코드를 모두 지우시겠습니까? 본인 확인을 마친 뒤에만 "
                "초기화하세요. 이 계정은 다음 로그인 때 인증 앱을 다시 등록합니다."
            )
            % {"username": account.username},
            "button": _("초기화"),
        },
    )
