"""Background work of the web import (core.import_jobs): the file is parsed by the task worker."""

from __future__ import annotations

from django_tasks import task


@task()
def check_import(job_id: int) -> str:
    """The dry run of an uploaded file; returns the job's state."""
    from .import_jobs import run_check

    return run_check(job_id)


@task()
def commit_import(job_id: int) -> str:
    """The commit of a checked file, at most once; returns the job's state."""
    from .import_jobs import run_commit

    return run_commit(job_id)
