"""The access-log pages: central staff's view of the whole log (filters, XLSX) and a firm's own view."""

from __future__ import annotations

import tempfile

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from yunghap.accounts.scope import scope_of
from yunghap.core.audit import record_access
from yunghap.core.exports import CONTENT_TYPES
from yunghap.core.models import AccessLog
from yunghap.core.spreadsheets import write_table

from . import access_log
from .models import Firm

PAGE_SIZE = 50


def _central_only(request: HttpRequest) -> None:
    if not scope_of(request.user).central:
        raise PermissionDenied


@login_required
@require_GET
def log_list(request: HttpRequest) -> HttpResponse:
    _central_only(request)
    form = access_log.AccessLogFilterForm(request.GET or None)
    logs = access_log.filtered_logs(form.cleaned_data) if form.is_valid() else AccessLog.objects.none()
    if not form.is_bound:
        logs = access_log.filtered_logs({})
    page = Paginator(access_log.with_grants(logs.defer("object_ids")), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page_obj": page,
        "rows": access_log.page_rows(list(page.object_list)),
        "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
    }
    return render(request, "network/access_log/list.html", context)


@login_required
@require_GET
def log_download(request: HttpRequest) -> HttpResponseBase:
    """The filtered log as XLSX. It names the staff who looked (their personal data, not the firms'), so
    the download is itself logged, with the ids of the users in it."""
    _central_only(request)
    form = access_log.AccessLogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return render(request, "network/access_log/list.html", {"form": form, "rows": []}, status=400)
    logs = access_log.filtered_logs(form.cleaned_data if form.is_bound else {})
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    header = [str(h) for h in access_log.XLSX_HEADER]
    write_table(header, access_log.xlsx_rows(logs), "xlsx", buffer, sheet_title="access-log")
    user_ids = logs.order_by().values_list("user_id", flat=True).distinct()
    record_access(request.user, AccessLog.Kind.EXPORT, "accounts.user", user_ids, request)
    buffer.seek(0)
    name = f"access-log-{timezone.localdate():%Y%m%d}.xlsx"
    return FileResponse(buffer, as_attachment=True, filename=name, content_type=CONTENT_TYPES["xlsx"])


@login_required
@require_GET
def firm_log(request: HttpRequest, brn: str) -> HttpResponse:
    """Who looked at this firm's people's data: for the firm's own users (and central staff)."""
    firm = get_object_or_404(Firm.objects.visible_to(request.user), brn=brn)
    scope = scope_of(request.user)
    if not (scope.central or firm.pk in scope.firm_ids):
        raise PermissionDenied
    page = Paginator(access_log.logs_of_firm(firm).defer("object_ids"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = [(log, access_log.firm_viewer(log.user)) for log in page.object_list]
    context = {
        "firm": firm,
        "page_obj": page,
        "rows": rows,
        "retention_days": settings.ACCESS_LOG_RETENTION_DAYS,
    }
    return render(request, "network/access_log/firm.html", context)
