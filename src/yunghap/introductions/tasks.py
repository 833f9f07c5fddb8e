"""Background work of the introduction workflow (django-tasks; `yunghap db_worker` runs them in production)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_due_introduction_transitions() -> dict[str, int]:
    """Expire unanswered requests and open due follow-ups (also `yunghap expire_introductions`)."""
    from .services import run_due_transitions

    return run_due_transitions()


@task()
def report_saved_searches(posting_id: int | None = None) -> int:
    """Tell saved-search owners about new postings that match (one posting, or all not yet reported)."""
    from .searches import report_new_postings

    return report_new_postings(posting_id=posting_id)


@task()
def analyse_saved_search(saved_search_id: int) -> None:
    """Analyse a saved search's query with Kiwi, away from the web worker that saved it."""
    from .searches import analyse_search

    analyse_search(saved_search_id)
