"""`yunghap invite_feedback [--at "YYYY-MM-DD HH:MM"]` (scheduled daily): after an event's last session
has ended, sends each confirmed participant one invitation to the satisfaction survey (never twice: a
stored marker per registration)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yunghap.events.feedback import invite_feedback

from .cancel import parse_kst


class Command(BaseCommand):
    help = "마지막 회차가 끝난 행사의 확정 참가자에게 만족도 조사 안내를 한 번 보냅니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="기준 일시(YYYY-MM-DD HH:MM, KST, 기본값: 지금)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_kst(options["at"]) if options["at"] else None
        counts = invite_feedback(now)
        self.stdout.write(f"행사 {counts['events']}건, 만족도 조사 안내 {counts['invited']}건을 보냈습니다.")
