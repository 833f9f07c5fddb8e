"""`yunghap refresh_statistics [--stale]`: rebuild the monthly figures from the source records.

Run it nightly (the current month's row appears when the month starts) and after any bulk load that
bypassed the services. The full rebuild also rebuilds the yearly education and event figures
(`events.statistics`, issue 11 §7). `--stale` rebuilds only the groups marked stale whose rebuild task has not run yet.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yunghap.events.statistics import refresh_event_figures
from yunghap.insights.figures import ensure_fresh, refresh_group_months


class Command(BaseCommand):
    help = "교류회 월별 통계(집계 테이블)를 원천 기록에서 다시 만듭니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--stale", action="store_true", help="변경 표시된 교류회만 다시 계산")

    def handle(self, *args: Any, stale: bool, **options: Any) -> None:
        started = time.perf_counter()
        if stale:
            count = ensure_fresh()
            self.stdout.write(
                f"교류회 {count}곳의 월별 통계를 다시 계산했습니다 ({time.perf_counter() - started:.1f}초)."
            )
        else:
            rows = refresh_group_months()
            self.stdout.write(
                f"월별 통계 {rows:,}행을 다시 만들었습니다 ({time.perf_counter() - started:.1f}초)."
            )
            started = time.perf_counter()
            rows = refresh_event_figures()
            self.stdout.write(
                f"교육·행사 연도별 통계 {rows:,}행을 다시 만들었습니다 ({time.perf_counter() - started:.1f}초)."
            )
