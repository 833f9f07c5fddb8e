"""`yunghap survey open YYYY [--deadline YYYY-MM-DD]` and `yunghap survey close YYYY`."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.surveys.models import Survey
from yunghap.surveys.services import close_survey, open_survey


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"날짜 형식이 아닙니다 (YYYY-MM-DD): {text}") from exc


class Command(BaseCommand):
    help = "실태조사 연도를 개설하거나 마감합니다."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        opening = sub.add_parser("open", help="조사 연도 개설")
        opening.add_argument("year", type=int)
        opening.add_argument("--deadline", type=_date, help="응답 마감일 YYYY-MM-DD")
        closing = sub.add_parser("close", help="조사 마감")
        closing.add_argument("year", type=int)

    def handle(self, *args: Any, action: str, year: int, **options: Any) -> None:
        try:
            if action == "open":
                survey = open_survey(year, actor=None, deadline=options.get("deadline"))
                self.stdout.write(self.style.SUCCESS(f"{survey.year}년 실태조사를 개설했습니다."))
            else:
                existing = Survey.objects.filter(year=year).first()
                if existing is None:
                    raise CommandError(f"{year}년 실태조사가 없습니다.")
                close_survey(existing, actor=None)
                self.stdout.write(self.style.SUCCESS(f"{year}년 실태조사를 마감했습니다."))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
