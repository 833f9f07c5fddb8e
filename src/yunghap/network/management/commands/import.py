"""`yunghap import KIND FILE [--dry-run] [--as USERNAME] [kind options]`: any registered spreadsheet import."""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from yunghap.core.imports import IMPORTERS, import_file
from yunghap.core.korean import fill
from yunghap.core.transfer import actor_named, format_report


class Command(BaseCommand):
    help = _("스프레드시트(XLSX, CSV)를 가져옵니다. 파일 전체가 올바를 때만 저장합니다.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help=_("가져올 자료 종류"))
        parser.add_argument("file", help=_("XLSX 또는 CSV 파일"))
        parser.add_argument("--dry-run", action="store_true", help=_("검사만 하고 저장하지 않음"))
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="USERNAME",
            help=_("이 사용자의 권한 범위로 가져옴 (기본: 시스템, 전체 범위)"),
        )
        for importer in IMPORTERS.values():
            # Two kinds may share an option (e.g. --year); the first definition serves both.
            with contextlib.suppress(argparse.ArgumentError):
                importer.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        kind, path = options["kind"], Path(options["file"])
        if not path.is_file():
            raise CommandError(_("파일이 없습니다: %(path)s") % {"path": path})
        try:
            actor = actor_named(options["actor"])
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        importer_class = IMPORTERS[kind]
        if not importer_class.allowed(actor):
            raise CommandError(fill(_("'%(name)s'은(는) 이 자료를 가져올 권한이 없습니다."), {"name": actor}))
        report = import_file(
            kind, path, actor=actor, dry_run=options["dry_run"], filename=path.name, options=options
        )
        for line in format_report(report):
            self.stdout.write(line)
        if not report.ok:
            raise CommandError(_("오류가 있어 가져오지 않았습니다."), returncode=1)
