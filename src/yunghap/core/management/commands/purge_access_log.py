from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yunghap.core.audit import RetentionTooShort, purge_access_log


class Command(BaseCommand):
    help = (
        "보관 기간(ACCESS_LOG_RETENTION_DAYS, 기본 730일·최소 730일)이 지난 개인정보 접속기록을 삭제합니다."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        days = settings.ACCESS_LOG_RETENTION_DAYS
        try:
            deleted = purge_access_log(days=days)
        except RetentionTooShort as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{days}일이 지난 접속기록 {deleted}건을 삭제했습니다.")
