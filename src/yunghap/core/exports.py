"""The export framework: every list that goes out as XLSX or CSV, registered by kind like the importers.

An `Exporter` yields the rows the user may see (`visible_to`), with personal data masked unless the user
needs it; the headers are the importers' English keys, so that an export re-imports to the same data.
Every export that contains unmasked personal data is written to the access log (개인정보 접속기록).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record_access
from .spreadsheets import write_table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class Exporter:
    """Subclass per kind: set `kind`, `label`, `header`, `object_type`; implement `rows`."""

    kind: ClassVar[str]
    label: ClassVar[StrOrPromise]  # Korean, lazily translated
    header: ClassVar[list[str]]
    object_type: ClassVar[str] = ""  # for the access log, e.g. "network.firm"

    def __init__(self) -> None:
        # Primary keys whose personal data went out unmasked, filled while `rows` runs.
        self.unmasked_ids: list[Any] = []

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """May `user` export this kind? `None` is the system (the command line without `--as`)."""
        return user is None or bool(getattr(user, "is_superuser", False))

    def rows(self, user: Any) -> Iterator[list[Any]]:
        raise NotImplementedError

    def filename(self, fmt: str) -> str:
        return f"{self.kind}-{timezone.localdate():%Y%m%d}.{fmt}"


EXPORTERS: dict[str, type[Exporter]] = {}


def register_exporter(cls: type[Exporter]) -> type[Exporter]:
    EXPORTERS[cls.kind] = cls
    return cls


def format_of(filename: str, explicit: str | None = None) -> str:
    """The format asked for, or the one the file name ends with."""
    suffix = filename.rsplit(".", 1)[-1] if "." in filename else ""
    fmt = (explicit or suffix).lower()
    if fmt not in FORMATS:
        raise ValueError(_("파일 형식은 xlsx 또는 csv여야 합니다."))
    return fmt


def export_table(kind: str, user: Any, target: IO[bytes], fmt: str, *, request: Any = None) -> int:
    """Write the export of `kind` for `user` to `target`; returns the number of data rows."""
    exporter = EXPORTERS[kind]()
    count = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal count
        for row in exporter.rows(user):
            count += 1
            yield row

    write_table(exporter.header, counted(), fmt, target, sheet_title=kind)
    if exporter.unmasked_ids:
        record_access(user, "export", exporter.object_type, exporter.unmasked_ids, request=request)
    return count
