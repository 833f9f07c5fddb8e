"""`yunghap demo`: build the monthly figures once the network, the ledger and the surveys exist."""

from __future__ import annotations

from typing import Any

from .figures import refresh_group_months


def build_demo(*, seed: int, stdout: Any) -> None:
    rows = refresh_group_months()
    stdout.write(f"통계: 교류회 월별 집계 {rows:,}행")
