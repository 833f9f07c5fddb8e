"""The web pages of spreadsheet import and export, for every registered kind.

Import is two steps, both run by the task worker (core.import_jobs): the upload becomes an `ImportJob`
that is always checked first (dry run); only the "가져오기 실행" button writes, at most once, and then only
if the file is still valid as a whole. The job's page shows the progress, then the result, and stays
reachable from /data/ (the user's recent imports).
"""

from __future__ import annotations

import csv
import io
import tempfile
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yunghap.accounts.sessions import passive
from yunghap.core.http import INVALID_FORM_STATUS

from . import import_jobs
from .exports import CONTENT_TYPES, EXPORTERS, FORMATS, HEADERS, export_table
from .import_templates import build_template, template_filename
from .imports import IMPORTERS
from .models import ImportJob

ERRORS_SHOWN = 1000
RECENT_JOBS = 20


def _korean_order(kinds: dict[str, Any]) -> list[tuple[str, Any]]:
    """Kinds in the order of their labels (가나다: Hangul syllables are in that order in Unicode)."""
    return sorted(kinds.items(), key=lambda item: (str(item[1].label), item[0]))


def allowed_importers(user: Any) -> dict[str, Any]:
    return {kind: cls for kind, cls in _korean_order(IMPORTERS) if cls.allowed(user)}


def allowed_exporters(user: Any) -> dict[str, Any]:
    return {kind: cls for kind, cls in _korean_order(EXPORTERS) if cls.allowed(user)}


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("자료 종류"))
    file = forms.FileField(
        label=gettext_lazy("파일 (XLSX 또는 CSV)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
        help_text=gettext_lazy(
            "첫 행은 열 이름입니다. CSV는 UTF-8 또는 CP949(엑셀)로 저장된 파일을 읽습니다."
        ),
    )

    def __init__(self, *args: Any, importers: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind_field = self.fields["kind"]
        assert isinstance(kind_field, forms.ChoiceField)
        kind_field.choices = [(kind, str(cls.label)) for kind, cls in importers.items()]
        # Options of the kinds (e.g. a survey's year); each importer checks its own in check_options.
        self.option_names: list[str] = []
        for cls in importers.values():
            for name, field in cls.option_fields().items():
                if name not in self.fields:
                    field.required = False
                    self.fields[name] = field
                    self.option_names.append(name)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                _("파일이 너무 큽니다(최대 %(mb)sMB).") % {"mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
            )
        if not upload.name.lower().endswith((".xlsx", ".csv", ".txt")):
            raise forms.ValidationError(_("XLSX 또는 CSV 파일만 가져올 수 있습니다."))
        return upload

    def options(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.option_names}


# --- pages -----------------------------------------------------------------------------------------------


def _hub(request: HttpRequest, form: ImportForm | None = None, status: int = 200) -> HttpResponse:
    importers, exporters = allowed_importers(request.user), allowed_exporters(request.user)
    if not importers and not exporters:
        raise PermissionDenied
    if form is None and importers:
        form = ImportForm(importers=importers)
    context = {
        "form": form,
        "import_columns": [(kind, cls.label, cls.columns) for kind, cls in importers.items()],
        "exporters": [(kind, cls.label) for kind, cls in exporters.items()],
        "formats": FORMATS,
        "recent_jobs": [
            (job, _kind_label(job.kind)) for job in ImportJob.objects.visible_to(request.user)[:RECENT_JOBS]
        ],
    }
    return render(request, "core/transfer.html", context, status=status)


def _kind_label(kind: str) -> str:
    importer = IMPORTERS.get(kind)
    return str(importer.label) if importer else kind


@login_required
@require_GET
def transfer_home(request: HttpRequest) -> HttpResponse:
    return _hub(request)


@login_required
@require_POST
def import_check(request: HttpRequest) -> HttpResponse:
    """Store the upload and queue its check; the file is parsed by the task worker, not here."""
    importers = allowed_importers(request.user)
    if not importers:
        raise PermissionDenied
    if request.POST.get("kind") and request.POST["kind"] not in importers:
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES, importers=importers)
    if not form.is_valid():
        return _hub(request, form, status=INVALID_FORM_STATUS)
    job = import_jobs.start_import(
        request.user, form.cleaned_data["file"], kind=form.cleaned_data["kind"], options=form.options()
    )
    return redirect("transfer:import_job", pk=job.pk)


def _job_of(request: HttpRequest, pk: int) -> ImportJob:
    return get_object_or_404(ImportJob.objects.visible_to(request.user), pk=pk)


@login_required
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """The job's page: its progress while it runs, then the check's (or the commit's) result."""
    job = _job_of(request, pk)
    report = job.report or {}
    errors = [
        {"row": row, "column": column, "message": message}
        for row, column, message in job.errors[:ERRORS_SHOWN]
    ]
    context = {
        "job": job,
        "kind_label": _kind_label(job.kind),
        "report": report,
        "errors": errors,
        "error_count": len(job.errors),
        "errors_hidden": max(0, len(job.errors) - ERRORS_SHOWN),
        "changes": [
            {"row": row, "column": column, "old": old, "new": new}
            for row, column, old, new in report.get("changes", [])
        ],
        "changes_hidden": max(0, report.get("changes_total", 0) - len(report.get("changes", []))),
        "stall_minutes": settings.IMPORT_JOB_STALL_MINUTES,
    }
    return render(request, "core/import_job.html", context)


@passive  # the bar polls every second: that is not the user's activity and must not keep the session alive
@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx each second; once the job has ended, the page reloads."""
    job = _job_of(request, pk)
    response = render(request, "core/_import_progress.html", {"job": job})
    if not job.in_progress or job.stalled:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def import_commit(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_of(request, pk)
    importer = IMPORTERS.get(job.kind)
    if importer is None:
        raise Http404
    if not importer.allowed(request.user):
        raise PermissionDenied
    if import_jobs.request_commit(job, actor=request.user):
        return redirect("transfer:import_job", pk=job.pk)
    job.refresh_from_db()
    if job.state in (ImportJob.State.RUNNING, ImportJob.State.COMMITTED):
        messages.warning(request, _("이미 가져온 파일입니다. 결과는 이 화면에서 볼 수 있습니다."))
    else:
        messages.error(request, _("이 파일은 가져올 수 없습니다. 검사 결과를 확인해 주세요."))
    return redirect("transfer:import_job", pk=job.pk)


@login_required
@require_GET
def import_errors(request: HttpRequest, pk: int) -> HttpResponse:
    """Every error of the job as CSV, for files with more errors than the page shows."""
    job = _job_of(request, pk)
    if not job.errors:
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("행"), _("열"), _("오류 내용")])
    writer.writerows(job.errors)
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="errors-{job.kind}.csv"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    exporter = EXPORTERS.get(kind)
    if exporter is None or fmt not in FORMATS:
        raise Http404
    if not exporter.allowed(request.user):
        raise PermissionDenied
    # Korean headers by default; `headers=en` gives the English keys. The other parameters are the list
    # page's filters (the "엑셀 내려받기" link carries them), read by the same form as the page.
    headers = request.GET.get("headers", "ko")
    if headers not in HEADERS:
        headers = "ko"
    query = request.GET.copy()
    query.pop("headers", None)
    query.pop("page", None)
    filters = exporter.filters_of(query)
    # Spooled: small exports stay in memory, large ones go to a temporary file, never both whole.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    export_table(kind, request.user, buffer, fmt, request=request, headers=headers, filters=filters)
    buffer.seek(0)
    return FileResponse(
        buffer,
        as_attachment=True,
        filename=exporter().filename(fmt, headers),
        content_type=CONTENT_TYPES[fmt],
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's XLSX template: Korean headers, one example row, a sheet explaining each column."""
    importer = IMPORTERS.get(kind)
    if importer is None:
        raise Http404
    if not importer.allowed(request.user):
        raise PermissionDenied
    response = HttpResponse(build_template(importer), content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition_header(True, template_filename(kind))
    return response
