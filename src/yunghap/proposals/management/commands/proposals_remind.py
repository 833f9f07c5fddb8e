"""`yunghap proposals_remind [--date YYYY-MM-DD]` (scheduled daily): the 30-day notice to authors of proposals
still open, and the staff's notice of overdue ones, each once per proposal."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from yunghap.proposals.reminders import send_reminders


class Command(BaseCommand):
    help = "접수 후 30일이 지나도록 답변이 공개되지 않은 건의의 건의인과, 기한이 지난 건의를 중앙회 직원에게 한 번씩 알립니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="기준일(YYYY-MM-DD, 기본값: 오늘)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("기준일은 YYYY-MM-DD 형식으로 써 주세요.") from exc
            now = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))
        counts = send_reminders(now)
        self.stdout.write(
            f"30일 안내 {counts['authors']}건, 기한 초과 안내 {counts['overdue']}건을 보냈습니다."
        )
