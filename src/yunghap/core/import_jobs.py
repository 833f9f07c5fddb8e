"""The web import as background work: an upload becomes an `ImportJob`, checked and committed by tasks.

The web worker only stores the upload (streamed to MEDIA_ROOT, hashed) and reads the job's progress;
the file is parsed by the task worker (`yunghap db_worker`). A checked job is committed at most once:
`request_commit` claims it with a conditional update (`checked` → `running`), and the commit task's
write transaction locks the job row and writes only while the job is still `running`, marking it
`committed` in that same transaction. The command line (`yunghap import`) stays synchronous.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import jsonable
from .imports import IMPORTERS, ImportReport, import_file
from .models import AuditLog, ImportJob
from .transfer import CHANGES_SHOWN

State = ImportJob.State
FILE_HOURS = 24  # an upload not committed is removed after this long
PROGRESS_SECONDS = 0.5  # at most two progress writes a second


class ImportAlreadyCommitted(Exception):
    """The job was committed (or is being committed) by another press of the button."""


def _media() -> Path:
    return Path(settings.MEDIA_ROOT)


def start_import(user: Any, upload: Any, *, kind: str, options: dict[str, Any]) -> ImportJob:
    """Store the upload and queue its check. Reads nothing of the file but its bytes (for the hash)."""
    _remove_expired_files(user)
    folder = Path("imports") / str(user.pk)
    (_media() / folder).mkdir(parents=True, exist_ok=True)
    relative = folder / f"{secrets.token_urlsafe(24)}.upload"
    digest = hashlib.sha256()
    size = 0
    with (_media() / relative).open("wb") as target:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            target.write(chunk)
    job = ImportJob.objects.create(
        user=user,
        kind=kind,
        filename=Path(upload.name).name[:255],
        options={name: jsonable(value) for name, value in options.items()},
        file_path=str(relative),
        sha256=digest.hexdigest(),
        size=size,
        state=State.CHECKING,
    )
    from .tasks import check_import

    transaction.on_commit(lambda: check_import.enqueue(job.pk))
    return job


def request_commit(job: ImportJob, *, actor: Any) -> bool:
    """Claim a checked job for its commit and queue it; False when it was claimed before (or is not ready).

    The conditional update is atomic in the database: of two presses at once, exactly one moves the job.
    """
    now = timezone.now()
    if job.committable:
        claimed = ImportJob.objects.filter(pk=job.pk, user=actor, state=State.CHECKED).update(
            state=State.RUNNING, rows_done=0, rows_total=job.rows_total, active_at=now
        )
    elif job.restartable:
        # The worker died mid-commit: its write transaction rolled back. Queue the commit again; the claim
        # inside the write transaction (_Claim) still lets only one run write, even if the old one was
        # merely slow.
        stall = now - datetime.timedelta(minutes=settings.IMPORT_JOB_STALL_MINUTES)
        claimed = (
            ImportJob.objects.filter(pk=job.pk, user=actor, state=State.RUNNING)
            .filter(Q(active_at__lt=stall) | Q(active_at__isnull=True, created_at__lt=stall))
            .update(rows_done=0, active_at=now)
        )
    else:
        return False
    if not claimed:
        return False
    from .tasks import commit_import

    transaction.on_commit(lambda: commit_import.enqueue(job.pk))
    return True


# --- the task bodies (run by the worker) -------------------------------------------------------------------


def run_check(job_id: int) -> str:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state != State.CHECKING:
        return str(job.state)
    try:
        report = _run(job, dry_run=True)
    except Exception:
        _fail(job, State.CHECKING)
        raise
    ImportJob.objects.filter(pk=job.pk, state=State.CHECKING).update(
        state=State.CHECKED, report=_report_data(report), checked_at=timezone.now(), **_finished(report)
    )
    if report.errors or not report.changed:
        _remove_file(job)  # nothing will be committed from this file: the report is all that is kept
    return State.CHECKED


def run_commit(job_id: int) -> str:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.state != State.RUNNING:
        return str(job.state)
    try:
        report = _run(job, dry_run=False, claim=_Claim(job.pk))
    except ImportAlreadyCommitted:
        return State.COMMITTED
    except Exception:
        _fail(job, State.RUNNING)
        raise
    if not report.written:
        # Nothing to write after all (another import got there first), or the data changed since the
        # check and a row is now wrong: the job ends with this report, and the user uploads again.
        state = State.COMMITTED if report.ok else State.FAILED
        fields: dict[str, Any] = {"state": state, "report": _report_data(report), **_finished(report)}
        if report.ok:
            fields["committed_at"] = timezone.now()
        ImportJob.objects.filter(pk=job.pk, state=State.RUNNING).update(**fields)
    _remove_file(job)
    return str(ImportJob.objects.values_list("state", flat=True).get(pk=job.pk))


class _Claim:
    """Inside the import's write transaction: lock the job, write only if it is still ours to commit."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id

    def acquire(self) -> None:
        job = ImportJob.objects.select_for_update().only("state").get(pk=self.job_id)
        if job.state != State.RUNNING:
            raise ImportAlreadyCommitted

    def complete(self, report: ImportReport, audit: AuditLog) -> None:
        ImportJob.objects.filter(pk=self.job_id).update(
            state=State.COMMITTED,
            committed_at=timezone.now(),
            audit_log=audit,
            report=_report_data(report),
            **_finished(report),
        )


def _run(job: ImportJob, *, dry_run: bool, claim: _Claim | None = None) -> ImportReport:
    if job.kind not in IMPORTERS:
        raise LookupError(job.kind)
    if not job.file_path or not (_media() / job.file_path).is_file():
        report = ImportReport(kind=job.kind, dry_run=dry_run)
        report.errors.append(_file_gone())
        return report
    return import_file(
        job.kind,
        _media() / job.file_path,
        actor=job.user,
        dry_run=dry_run,
        filename=job.filename,
        options=job.options,
        progress=_Progress(job.pk),
        claim=claim,
    )


class _Progress:
    """Writes rows read / rows in the file to the job, at most twice a second (the page polls each second)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.last = -PROGRESS_SECONDS

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - self.last < PROGRESS_SECONDS:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job_id).update(
            rows_done=done, rows_total=total, active_at=timezone.now()
        )


def _finished(report: ImportReport) -> dict[str, int]:
    return {"rows_done": report.total, "rows_total": report.total}


def _report_data(report: ImportReport) -> dict[str, Any]:
    return {
        "dry_run": report.dry_run,
        "total": report.total,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "errors": [
            [error.row, report.column_label(error.column) if error.column else "", error.message]
            for error in report.errors
        ],
        # What the updates change (old → new), for the check's page; capped like the page shows it.
        "changes": [
            [change.row, report.column_label(change.column), change.old, change.new]
            for change in report.changes[:CHANGES_SHOWN]
        ],
        "changes_total": len(report.changes),
    }


def _fail(job: ImportJob, expected: str) -> None:
    data = {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "errors": [[0, "", _unexpected()]]}
    ImportJob.objects.filter(pk=job.pk, state=expected).update(state=State.FAILED, report=data)


def _unexpected() -> str:
    return _("처리 중 예기치 못한 오류가 생겨 아무것도 저장하지 않았습니다. 잠시 후 다시 올려 주세요.")


def _file_gone() -> Any:
    from .imports import RowError

    return RowError(0, "", _("올린 파일이 만료되어 지워졌습니다. 파일을 다시 올려 주세요."))


def _remove_file(job: ImportJob) -> None:
    if job.file_path:
        (_media() / job.file_path).unlink(missing_ok=True)
        ImportJob.objects.filter(pk=job.pk).update(file_path="")


def _remove_expired_files(user: Any) -> None:
    expired = timezone.now() - datetime.timedelta(hours=FILE_HOURS)
    old = ImportJob.objects.filter(user=user, created_at__lt=expired).exclude(file_path="")
    for job in old.exclude(state=State.RUNNING):
        _remove_file(job)
