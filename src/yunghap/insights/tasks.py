"""Background rebuilds of the monthly figures: all of them after a bulk load (a registry or ledger import),
the stale groups after any other change to their sources (enqueued on commit by `figures.mark_stale`)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_statistics() -> int:
    from .figures import refresh_group_months

    return refresh_group_months()


@task()
def refresh_stale_statistics() -> int:
    from .figures import ensure_fresh

    return ensure_fresh()
