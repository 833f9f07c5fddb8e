"""The signed-in user's own page: who they are and which roles they hold, on what."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import i18n as i18n_views

from .models import RoleGrant, User
from .scope import scope_of


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    grants = (
        RoleGrant.objects.filter(user=request.user)  # type: ignore[misc]
        .select_related("federation", "group", "firm")
        .order_by("role", "id")
    )
    context = {"grants": list(grants), "scope": scope_of(request.user)}
    return render(request, "accounts/profile.html", context)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch; a signed-in user's choice is also kept as the language of their mail."""
    response = i18n_views.set_language(request)
    language = request.POST.get("language") if request.method == "POST" else None
    user = request.user
    if (
        language in dict(settings.LANGUAGES)
        and user.is_authenticated
        and getattr(user, "language", language) != language
    ):
        User.objects.filter(pk=user.pk).update(language=language)
    return response
