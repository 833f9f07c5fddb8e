"""The signed-in user's own page: who they are and which roles they hold, on what."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import RoleGrant
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
