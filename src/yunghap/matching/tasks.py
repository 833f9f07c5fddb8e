"""Background analysis (django-tasks): Kiwi runs in the task worker, never in the web worker that saved."""

from __future__ import annotations

from django_tasks import task


@task()
def analyse_posting(posting_id: int) -> int:
    """Analyse one posting's text and store its terms and capability tags; returns the number of terms."""
    from .posting_services import store_posting_analysis

    return store_posting_analysis(posting_id)


@task()
def analyse_firm_profile(firm_id: int) -> int:
    """Analyse a firm's profile technologies and products (they count as offers)."""
    from .posting_services import store_profile_analysis

    return store_profile_analysis(firm_id)


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
