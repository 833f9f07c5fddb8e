"""`yunghap send_followups [--date YYYY-MM-DD]` (scheduled daily): plans the follow-up surveys of ended
agreements (1, 2, 3 years after the end: `ProgressRules.followup_years`) and opens the due ones, telling
the lead firm once."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from yunghap.programmes.followups import send_followups


class Command(BaseCommand):
    help = "협약 종료 1·2·3년 후 추적조사를 열고 주관기업에 응답을 요청합니다."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--date", help="기준일(YYYY-MM-DD, 기본값: 오늘)")

    def handle(self, *args: Any, **options: Any) -> None:
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date는 YYYY-MM-DD 형식이어야 합니다.") from exc
        counts = send_followups(today=on)
        self.stdout.write(f"추적조사 계획 {counts['planned']}건, 응답 요청 {counts['opened']}건")
