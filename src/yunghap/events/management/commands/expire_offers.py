"""`yunghap expire_offers [--at "YYYY-MM-DD HH:MM"]` (scheduled hourly): cancels waiting-list offers not
taken in time and offers each seat to the next person waiting."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from yunghap.events.registration import expire_offers

from .cancel import parse_kst


class Command(BaseCommand):
    help = "수락 기한이 지난 좌석 제안을 취소하고, 그 좌석을 다음 대기자에게 제안합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--at", help="기준 일시(YYYY-MM-DD HH:MM, KST, 기본값: 지금)")

    def handle(self, *args: Any, **options: Any) -> None:
        now = parse_kst(options["at"]) if options["at"] else None
        counts = expire_offers(now)
        self.stdout.write(f"만료 {counts['expired']}건, 새 좌석 제안 {counts['offered']}건")
