"""`yunghap token create --user NAME [--write] [--expires YYYY-MM-DD] [--name TEXT]` prints a new API token
(only the token on stdout, so that a script can capture it); `yunghap token revoke --user NAME` revokes all
of that user's active tokens and prints how many. The same rules as the token pages (token_forms)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from yunghap.accounts.token_forms import check_expiry, default_expiry
from yunghap.accounts.tokens import create_token, revoke_all
from yunghap.core.korean import fill


class Command(BaseCommand):
    help = "API 토큰을 발급하거나(create) 한 사용자의 토큰을 모두 폐기합니다(revoke)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="새 토큰을 발급해 표준 출력에 한 번 씁니다.")
        create.add_argument("--user", required=True, help="사용자 아이디")
        create.add_argument("--write", action="store_true", help="쓰기 허용 (기본: 읽기 전용)")
        create.add_argument("--expires", help="만료일 YYYY-MM-DD (기본: 1년 뒤)")
        create.add_argument("--name", default="", help="토큰 이름")
        revoke = sub.add_parser("revoke", help="사용자의 사용 중인 토큰을 모두 폐기합니다.")
        revoke.add_argument("--user", required=True, help="사용자 아이디")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(fill("사용자 '%(user)s'을(를) 찾을 수 없습니다.", {"user": options["user"]}))
        if options["action"] == "revoke":
            count = revoke_all(user, actor=None)
            self.stdout.write(str(count))
            self.stderr.write(f"{user.get_username()} 사용자의 API 토큰 {count}개를 폐기했습니다.")
            return
        expires = self.expiry(options.get("expires"))
        if not user.is_active:
            raise CommandError(
                fill("사용자 '%(user)s'은(는) 비활성 계정입니다.", {"user": user.get_username()})
            )
        new = create_token(
            user, actor=None, name=options["name"][:100], can_write=options["write"], expires_on=expires
        )
        self.stdout.write(new.raw)

    def expiry(self, text: str | None) -> datetime.date:
        if not text:
            return default_expiry()
        try:
            value = datetime.date.fromisoformat(text)
        except ValueError:
            raise CommandError(
                fill("만료일 '%(text)s'은(는) YYYY-MM-DD 형식의 날짜가 아닙니다.", {"text": text})
            ) from None
        try:
            return check_expiry(value)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
