"""`yunghap remind_events [--at "YYYY-MM-DD HH:MM"]` (scheduled daily): the reminder the day before the
first session to every confirmed registration, once each (safe to run twice or at the same time)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yunghap.events.reminders import send_reminders

from .cancel import parse_kst


class Command(BaseCommand):
    help = "내일 시작하는 행사의 확정 신청자에게 전날 알림을 한 번씩 보냅니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="기준 일시(YYYY-MM-DD HH:MM, KST, 기본값: 지금)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_kst(options["at"]) if options["at"] else None
        counts = send_reminders(now)
        self.stdout.write(
            f"행사 {counts['events']}건: 전날 알림 {counts['sent']}건 보냄, "
            f"알림 끔 {counts['turned_off']}건, 이미 보냄 {counts['already']}건"
        )
