"""The template of each import kind: an XLSX with the Korean headers and one example row on the first sheet
(the sheet the import reads), and a second sheet explaining every column — meaning, required, format,
example. Built from the importer's own `Column`s, so a template never disagrees with its importer.
"""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext as _

from .imports import IMPORTERS, Importer


def template_filename(kind: str) -> str:
    """`회원사_양식.xlsx`: the kind's Korean label, as offices name their forms."""
    label = str(IMPORTERS[kind].label).replace(" ", "_").replace("·", "_")
    return _("%(label)s_양식.xlsx") % {"label": label}


def build_template(importer: type[Importer]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    workbook = Workbook()
    data = workbook.active
    assert data is not None
    data.title = _("자료")
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    data.append([column.label for column in importer.columns])
    data.append([_cell(column.example) for column in importer.columns])
    for index, column in enumerate(importer.columns, start=1):
        header = data.cell(row=1, column=index)
        header.font = bold
        if column.required:
            header.fill = required_fill
        data.column_dimensions[header.column_letter].width = max(12, min(40, len(column.label) * 2 + 4))
        # Text cells: Excel must not turn 116-82-00276 or 26;62 into a number or a date.
        data.cell(row=2, column=index).number_format = "@" if isinstance(column.example, str) else "General"
    data.freeze_panes = "A2"

    notes = workbook.create_sheet(_("열 설명"))
    notes.append([_("열 이름"), _("영문 키"), _("뜻"), _("필수"), _("형식"), _("예"), _("다른 이름")])
    for column in importer.columns:
        notes.append(
            [
                column.label,
                column.key,
                str(column.help),
                _("예") if column.required else _("아니오"),
                str(column.format),
                _cell(column.example),
                ", ".join(column.aliases),
            ]
        )
    for cell in notes[1]:
        cell.font = bold
    for letter, width in zip("ABCDEFG", (20, 18, 50, 8, 40, 26, 30), strict=True):
        notes.column_dimensions[letter].width = width
    for row in notes.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    notes.append([])
    notes.append(
        [_("첫 행은 열 이름입니다. 한글 열 이름과 영문 키 모두 읽습니다. 노란 열은 꼭 있어야 합니다.")]
    )
    notes.append([_("'자료' 시트의 예시 행을 지우고 자료를 입력한 뒤, 이 파일을 그대로 올리면 됩니다.")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    return "" if value is None else (value if isinstance(value, int | float) else str(value))
