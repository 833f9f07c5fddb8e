"""`yunghap export KIND FILE [--format xlsx|csv] [--as USERNAME]`: any registered spreadsheet export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from yunghap.core.exports import EXPORTERS, FORMATS, HEADERS, export_table, format_of
from yunghap.core.korean import fill
from yunghap.core.transfer import actor_named


class Command(BaseCommand):
    help = _(
        "자료를 XLSX 또는 CSV로 내보냅니다(수식은 무력화). 내보낸 파일은 그대로 다시 가져올 수 있습니다."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(EXPORTERS), help=_("내보낼 자료 종류"))
        parser.add_argument("file", help=_("저장할 파일 (.xlsx 또는 .csv)"))
        parser.add_argument("--format", choices=FORMATS, help=_("파일 형식 (기본: 확장자로 판단)"))
        parser.add_argument(
            "--headers",
            choices=HEADERS,
            default="ko",
            help=_("열 이름: ko 한글(기본) 또는 en 영문 키. 어느 쪽이든 그대로 다시 가져올 수 있습니다."),
        )
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="USERNAME",
            help=_("이 사용자가 볼 수 있는 자료만, 그 권한대로 가림 처리하여 내보냄 (기본: 시스템, 전체)"),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            fmt = format_of(path.name, options["format"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            actor = actor_named(options["actor"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        if not EXPORTERS[options["kind"]].allowed(actor):
            raise CommandError(fill(_("'%(name)s'은(는) 이 자료를 내보낼 권한이 없습니다."), {"name": actor}))
        with path.open("wb") as target:
            count = export_table(options["kind"], actor, target, fmt, headers=options["headers"])
        self.stdout.write(
            _("%(kind)s %(count)s행을 %(path)s에 내보냈습니다.")
            % {"kind": options["kind"], "count": count, "path": path}
        )
