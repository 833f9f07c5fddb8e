from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError

from yunghap.introductions.services import run_due_transitions


class Command(BaseCommand):
    help = "응답 기한이 지난 소개 요청을 만료 처리하고, 6개월이 지난 소개의 후속 확인을 요청합니다."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="기준일(YYYY-MM-DD, 기본값: 오늘)")

    def handle(self, *args, **options):
        on = None
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date는 YYYY-MM-DD 형식이어야 합니다.") from exc
        counts = run_due_transitions(on=on)
        self.stdout.write(f"만료 {counts['expired']}건, 후속 확인 요청 {counts['follow_up_due']}건")
