"""How fast and how cheaply a spreadsheet bomb is refused (issue 7, finding 7).

    .venv/bin/python bench/import_limits.py [--rows 1000000] [--runs 5]

Builds an XLSX of ROWS one-cell rows by hand (0.2 MB on disk, 28 MB expanded, like the 800 KB file of
the issue), then times `read_table` refusing it: CPU and wall time (median of the runs) and the peak
Python heap (tracemalloc, in a separate run) and the process's peak RSS. Needs no database.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import resource
import statistics
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="data" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def xlsx_bomb(
    rows: int = 1_000_000, *, dimension: bool = False, last_column: str = "A", numbered: bool = False
) -> bytes:
    """A valid workbook of `rows` one-cell rows, written by hand: 0.2 MB on disk, 28 MB expanded.

    `numbered` writes the optional row and cell references as Excel does (4.8 MB on disk, 47 MB expanded).
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            if dimension:
                sheet.write(f'<dimension ref="A1:{last_column}{rows}"/>'.encode())
            sheet.write(b"<sheetData>")
            for start in range(1, rows + 1, 10_000):
                numbers = range(start, min(start + 10_000, rows + 1))
                if numbered:
                    sheet.write(
                        b"".join(b'<row r="%d"><c r="A%d"><v>1</v></c></row>' % (n, n) for n in numbers)
                    )
                else:  # no `r` attributes (they are optional): ~136x compression
                    sheet.write(b"".join(b"<row><c><v>%d</v></c></row>" % (n % 1000) for n in numbers))
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dimension", action="store_true", help="declare the range in <dimension>")
    parser.add_argument("--numbered", action="store_true", help="write row and cell references")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yunghap.settings")
    import django

    django.setup()
    from django.conf import settings

    from yunghap.core.spreadsheets import SpreadsheetError, read_table

    bomb = xlsx_bomb(args.rows, dimension=args.dimension, numbered=args.numbered)
    expanded = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    print(
        f"bomb: {args.rows:,} rows, {len(bomb) / 1024:,.0f} KB on disk, {expanded / 1024**2:,.1f} MB expanded"
    )
    print(
        f"limits: {settings.IMPORT_MAX_ROWS:,} rows, {settings.IMPORT_MAX_EXPANDED_BYTES / 1024**2:,.0f} MB"
    )
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    cpu, wall, message = [], [], ""
    for _ in range(args.runs):
        started_cpu, started_wall = time.process_time(), time.perf_counter()
        try:
            read_table(bomb, "bomb.xlsx")
        except SpreadsheetError as exc:
            message = str(exc)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started_wall)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    with contextlib.suppress(SpreadsheetError):
        read_table(bomb, "bomb.xlsx")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"refused: {message or 'NOT REFUSED'}")
    print(
        f"CPU {statistics.median(cpu) * 1000:,.0f} ms, wall {statistics.median(wall) * 1000:,.0f} ms (median of {args.runs})"
    )
    print(
        f"peak Python heap {peak / 1024**2:,.1f} MB; peak RSS growth {(rss_after - rss_before) / 1024:,.1f} MB"
    )


if __name__ == "__main__":
    main()
