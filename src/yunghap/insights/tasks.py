"""Background rebuild of the monthly figures after a bulk load (a registry or ledger import)."""

from __future__ import annotations

from django_tasks import task


@task()
def refresh_statistics() -> int:
    from .figures import refresh_group_months

    return refresh_group_months()
