"""`yunghap demo`: build the monthly figures once the network, the ledger and the surveys exist, and the
yearly education and event figures (issue 11 §7)."""

from __future__ import annotations

from typing import Any

from .figures import refresh_group_months


def build_demo(*, seed: int, stdout: Any) -> None:
    from yunghap.events.statistics import refresh_event_figures

    rows = refresh_group_months()
    stdout.write(f"통계: 교류회 월별 집계 {rows:,}행")
    rows = refresh_event_figures()
    stdout.write(f"통계: 교육·행사 연도별 집계 {rows:,}행")
