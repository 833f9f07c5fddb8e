"""`yunghap remind_reports [--date YYYY-MM-DD]` (scheduled daily): reminders of reports due soon (days as
data, `ProgressRules.reminder_days_before`, default 14 and 3) and overdue, each once per report."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yunghap.programmes.progress_services import remind_reports


class Command(BaseCommand):
    help = "제출 기한이 다가오거나 지난 중간·최종 보고를 주관기업에 알립니다(알림마다 한 번)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="기준일(YYYY-MM-DD, 기본값: 오늘)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date는 YYYY-MM-DD 형식이어야 합니다.") from exc
        counts = remind_reports(today=on)
        self.stdout.write(f"기한 전 알림 {counts['before']}건, 기한 경과 알림 {counts['overdue']}건")
