"""The user's in-app notifications: the list, marking read, and the unread count for the header."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from . import messenger
from .http import is_site_path
from .models import Notification


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    notifications = Notification.objects.visible_to(request.user)
    page = Paginator(notifications, 30).get_page(request.GET.get("page"))
    return render(request, "core/notifications.html", {"page_obj": page, "notifications": page.object_list})


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one notification read and follow its link (only ever a path on this site)."""
    notification = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    messenger.mark_read(request.user, [notification.pk])
    link = notification.link
    if is_site_path(request, link):
        return redirect(link)
    return redirect("core:notifications")


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    messenger.mark_read(request.user)
    return redirect("core:notifications")


@require_GET
def notification_unread_count(request: HttpRequest) -> JsonResponse:
    # Fetched by the header script after the page loads, so no page pays for it in its own queries.
    if not request.user.is_authenticated:
        return JsonResponse({"unread": 0})
    response = JsonResponse({"unread": messenger.unread_count(request.user)})
    response["Cache-Control"] = "no-store"
    return response
