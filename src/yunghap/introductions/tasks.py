"""Background work of the introduction workflow (django-tasks; `yunghap db_worker` runs them in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_due_introduction_transitions() -> dict[str, int]:
    """Expire unanswered requests and open due follow-ups (also `yunghap expire_introductions`)."""
    from .services import run_due_transitions

    return run_due_transitions()
