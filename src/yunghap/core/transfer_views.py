"""The web pages of spreadsheet import and export, for every registered kind.

Import is two steps: the upload is kept in a per-user file under MEDIA_ROOT/imports/ with a random token
and always checked first (dry run); only the "가져오기 실행" button, posting that token back, writes —
and then only if the file is still valid as a whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
import secrets
import tempfile
import time
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .exports import CONTENT_TYPES, EXPORTERS, FORMATS, export_table
from .imports import IMPORTERS, ImportReport, import_file

ERRORS_SHOWN = 1000
STASH_HOURS = 24
TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{20,64}")


def allowed_importers(user: Any) -> dict[str, Any]:
    return {kind: cls for kind, cls in sorted(IMPORTERS.items()) if cls.allowed(user)}


def allowed_exporters(user: Any) -> dict[str, Any]:
    return {kind: cls for kind, cls in sorted(EXPORTERS.items()) if cls.allowed(user)}


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


# --- the stash of uploaded files between the check and the commit ---------------------------------------


def _stash_dir(user: Any) -> Path:
    return Path(settings.MEDIA_ROOT) / "imports" / str(user.pk)


def _stash(user: Any, upload: Any, kind: str, options: dict[str, Any]) -> str:
    folder = _stash_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    expired = time.time() - STASH_HOURS * 3600
    for old in folder.iterdir():
        if old.stat().st_mtime < expired:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    with (folder / f"{token}.upload").open("wb") as target:
        for chunk in upload.chunks():
            target.write(chunk)
    meta = {"kind": kind, "filename": Path(upload.name).name, "options": options}
    (folder / f"{token}.json").write_text(json.dumps(meta, default=str), encoding="utf-8")
    return token


def _unstash(user: Any, token: str) -> tuple[Path, dict[str, Any]]:
    if not TOKEN_RE.fullmatch(token or ""):
        raise Http404
    folder = _stash_dir(user)
    data, meta = folder / f"{token}.upload", folder / f"{token}.json"
    if not data.is_file() or not meta.is_file():
        raise Http404
    return data, json.loads(meta.read_text(encoding="utf-8"))


def _drop(user: Any, token: str) -> None:
    folder = _stash_dir(user)
    for suffix in (".upload", ".json", ".errors.json"):
        (folder / f"{token}{suffix}").unlink(missing_ok=True)


def _keep_errors(user: Any, token: str, report: ImportReport) -> None:
    rows = [[e.row, report.column_label(e.column), e.message] for e in report.errors]
    (_stash_dir(user) / f"{token}.errors.json").write_text(json.dumps(rows), encoding="utf-8")


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
    }
    return render(request, "core/transfer.html", context, status=status)


@login_required
@require_GET
def transfer_home(request: HttpRequest) -> HttpResponse:
    return _hub(request)


def _result(request: HttpRequest, report: ImportReport, token: str, meta: dict[str, Any]) -> HttpResponse:
    errors = [
        {"row": e.row, "column": report.column_label(e.column) if e.column else "", "message": e.message}
        for e in report.errors[:ERRORS_SHOWN]
    ]
    context = {
        "report": report,
        "errors": errors,
        "errors_hidden": max(0, len(report.errors) - ERRORS_SHOWN),
        "token": token,
        "filename": meta["filename"],
        "kind_label": IMPORTERS[report.kind].label,
    }
    return render(request, "core/import_result.html", context)


@login_required
@require_POST
def import_check(request: HttpRequest) -> HttpResponse:
    importers = allowed_importers(request.user)
    if not importers:
        raise PermissionDenied
    if request.POST.get("kind") and request.POST["kind"] not in importers:
        raise PermissionDenied
    form = ImportForm(request.POST, request.FILES, importers=importers)
    if not form.is_valid():
        return _hub(request, form, status=400)
    kind, options = form.cleaned_data["kind"], form.options()
    token = _stash(request.user, form.cleaned_data["file"], kind, options)
    data, meta = _unstash(request.user, token)
    report = import_file(
        kind, data, actor=request.user, dry_run=True, filename=meta["filename"], options=meta["options"]
    )
    if report.errors:
        _keep_errors(request.user, token, report)
    return _result(request, report, token, meta)


@login_required
@require_POST
def import_commit(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    data, meta = _unstash(request.user, token)
    importer = IMPORTERS.get(meta["kind"])
    if importer is None:
        raise Http404
    if not importer.allowed(request.user):
        raise PermissionDenied
    report = import_file(
        meta["kind"],
        data,
        actor=request.user,
        dry_run=False,
        filename=meta["filename"],
        options=meta["options"],
    )
    if not report.ok:
        # The data changed since the check (or someone else imported first): show why, keep the file.
        _keep_errors(request.user, token, report)
        return _result(request, report, token, meta)
    _drop(request.user, token)
    messages.success(
        request,
        _(
            "%(label)s 가져오기를 마쳤습니다: 추가 %(created)s건, 변경 %(updated)s건, 변동 없음 %(unchanged)s건."
        )
        % {
            "label": importer.label,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        },
    )
    return redirect("transfer:home")


@login_required
@require_GET
def import_errors(request: HttpRequest, token: str) -> HttpResponse:
    """Every error of the last check as CSV, for files with more errors than the page shows."""
    _data, meta = _unstash(request.user, token)
    path = _stash_dir(request.user) / f"{token}.errors.json"
    if not path.is_file():
        raise Http404
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([_("행"), _("열"), _("오류 내용")])
    writer.writerows(json.loads(path.read_text(encoding="utf-8")))
    response = HttpResponse(("\ufeff" + buffer.getvalue()).encode("utf-8"), content_type=CONTENT_TYPES["csv"])
    response["Content-Disposition"] = f'attachment; filename="errors-{meta["kind"]}.csv"'
    return response


@login_required
@require_http_methods(["GET", "HEAD"])
def export_download(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    exporter = EXPORTERS.get(kind)
    if exporter is None or fmt not in FORMATS:
        raise Http404
    if not exporter.allowed(request.user):
        raise PermissionDenied
    # Spooled: small exports stay in memory, large ones go to a temporary file, never both whole.
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    export_table(kind, request.user, buffer, fmt, request=request)
    buffer.seek(0)
    return FileResponse(
        buffer, as_attachment=True, filename=exporter().filename(fmt), content_type=CONTENT_TYPES[fmt]
    )
