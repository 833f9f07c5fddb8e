"""`yunghap import_template KIND FILE`: the XLSX template of an import kind (Korean headers, one example row,
a sheet explaining each column)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from yunghap.core.import_templates import build_template
from yunghap.core.imports import IMPORTERS


class Command(BaseCommand):
    help = _("가져오기 양식(XLSX)을 만듭니다: 한글 열 이름, 예시 한 행, 열 설명 시트.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=sorted(IMPORTERS), help=_("양식을 만들 자료 종류"))
        parser.add_argument("file", help=_("저장할 파일 (.xlsx)"))

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        path.write_bytes(build_template(IMPORTERS[options["kind"]]))
        self.stdout.write(
            _("%(label)s 가져오기 양식을 %(path)s에 저장했습니다.")
            % {"label": IMPORTERS[options["kind"]].label, "path": path}
        )
