"""`yunghap remind_settlements [--date YYYY-MM-DD]`: the daily settlement schedule (정산 일정).

Moves agreements past their last day to `ended`, reminds the member firms 30 and 7 days before the
settlement's due date (once each) and lists the overdue settlements. Pages never do this (GET never writes).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.programmes.settlement_services import run_settlement_reminders


class Command(BaseCommand):
    help = "종료된 협약을 정산 대기로 바꾸고, 정산 기한 전 알림을 보내며, 기한이 지난 정산을 출력합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="기준일(YYYY-MM-DD, 기본값: 오늘)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date는 YYYY-MM-DD 형식이어야 합니다.") from exc
        counts = run_settlement_reminders(on=on)
        self.stdout.write(
            f"정산 대기 전환 {counts['ended']}건, 기한 전 알림 {counts['reminded']}건, "
            f"기한 경과 {len(counts['overdue'])}건"
        )
        for row in counts["overdue"]:
            self.stdout.write(f"  기한 경과: {row['call']} {row['ref']} (정산 기한 {row['due_on']})")
