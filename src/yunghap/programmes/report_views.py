"""The staff list of a call's applications: eligibility, the rules broken, reviews and score, with filters
and a CSV/XLSX download. Central staff see every application, regional staff those led by a firm of their
region (`Application.objects.visible_to`); the rows are `programmes.reports.application_rows`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from yunghap.accounts.scope import scope_of
from yunghap.core.exports import CONTENT_TYPES
from yunghap.core.params import BadParameter

from . import reports
from .models import Application, Call
from .rules import RULE_CODES

PAGE_SIZE = 100


def _call_for_staff(request: HttpRequest, code: str) -> Call:
    call = get_object_or_404(Call.objects.visible_to(request.user), code=code)
    if not scope_of(request.user).staff:
        raise PermissionDenied
    return call


def _filters(request: HttpRequest) -> tuple[str, str]:
    eligibility = str(request.GET.get("eligibility") or "").strip()
    rule = str(request.GET.get("rule") or "").strip()
    problems = reports.check_filters(eligibility, rule)
    if problems:
        raise BadParameter(" ".join(problems))
    return eligibility, rule


def _rule_choices() -> list[tuple[str, str]]:
    """Each rule code with a short Korean name, for the filter."""
    names = {
        "grant_cap": _("지원 상한"),
        "government_share": _("정부지원 비율"),
        "firm_share": _("기업부담 비율"),
        "cash_share": _("현금 비율"),
        "members": _("참여기업 수"),
        "divisions": _("업종 수"),
        "not_member": _("교류회 회원 아님"),
        "closed": _("휴·폐업 기업"),
        "firm_limit": _("기업당 신청 수"),
    }
    return [(code, f"{names.get(code, code)} ({code})") for code in RULE_CODES]


@login_required
@require_GET
def call_applications(request: HttpRequest, code: str) -> HttpResponse:
    call = _call_for_staff(request, code)
    eligibility, rule = _filters(request)
    rows = reports.application_rows(call, user=request.user, eligibility=eligibility, rule=rule)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        "total": len(rows),
        "eligible": sum(1 for r in rows if r["status"] == Application.Eligibility.ELIGIBLE),
        "ineligible": sum(1 for r in rows if r["status"] == Application.Eligibility.INELIGIBLE),
    }
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "call": call,
        "page_obj": page,
        "rows": [
            {**row, "rule_reasons": list(zip(row["rules"], row["reasons"], strict=True))} for row in page
        ],
        "counts": counts,
        "eligibility": eligibility,
        "rule": rule,
        "eligibility_choices": [
            (Application.Eligibility.ELIGIBLE, _("적격")),
            (Application.Eligibility.INELIGIBLE, _("부적격")),
        ],
        "rule_choices": _rule_choices(),
        "filter_query": query.urlencode(),
        "regional": not scope_of(request.user).central,
    }
    return render(request, "programmes/reports/call_applications.html", context)


@login_required
@require_GET
def call_applications_download(request: HttpRequest, code: str) -> HttpResponse:
    call = _call_for_staff(request, code)
    eligibility, rule = _filters(request)
    fmt = str(request.GET.get("format") or "xlsx").strip()
    if fmt not in CONTENT_TYPES:
        raise BadParameter(_("내려받기 형식은 xlsx 또는 csv입니다: '%(value)s'") % {"value": fmt})
    rows = reports.application_rows(call, user=request.user, eligibility=eligibility, rule=rule)
    response = HttpResponse(reports.table_file(call, rows, fmt), content_type=CONTENT_TYPES[fmt])
    name = f"applications-{call.code}-{timezone.localdate():%Y%m%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
