"""The export framework: every list that goes out as XLSX or CSV, registered by kind like the importers.

An `Exporter` yields the rows the user may see (`visible_to`), with personal data masked unless the user
needs it; the columns are the importers' (Korean headers by default, English keys on request), so that an
export re-imports to the same data.
Every export that contains unmasked personal data is written to the access log (개인정보 접속기록).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.utils import timezone
from django.utils.translation import gettext as _

from .audit import record_access
from .imports import Column
from .spreadsheets import write_table

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


HEADERS = ("ko", "en")


class Exporter:
    """Subclass per kind: set `kind`, `label`, `columns`, `object_type`; implement `rows`.

    `columns` are the importer's columns of the kind (so that the export re-imports unchanged): the file's
    header is their Korean labels by default, or their English keys (`headers="en"`). A kind whose list page
    can be filtered names its filter form (`filter_form`): the download of that page carries its query
    string, and `rows` receives the form's valid filters.
    """

    kind: ClassVar[str]
    label: ClassVar[StrOrPromise]  # Korean, lazily translated
    columns: ClassVar[list[Column]]
    object_type: ClassVar[str] = ""  # for the access log, e.g. "network.firm"
    filter_form: ClassVar[Any] = None  # a form class with `filters()`, as the list page uses

    def __init__(self) -> None:
        # Primary keys whose personal data went out unmasked, filled while `rows` runs.
        self.unmasked_ids: list[Any] = []

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """May `user` export this kind? `None` is the system (the command line without `--as`)."""
        return user is None or bool(getattr(user, "is_superuser", False))

    @classmethod
    def header(cls, headers: str = "ko") -> list[str]:
        if headers == "en":
            return [column.key for column in cls.columns]
        return [str(column.label) for column in cls.columns]

    @classmethod
    def filters_of(cls, query: Any) -> dict[str, Any]:
        """The list page's filters from a query string (a QueryDict); invalid ones filter nothing."""
        if cls.filter_form is None or not query:
            return {}
        form = cls.filter_form(query)
        return dict(form.filters()) if form.is_valid() else {}

    def rows(self, user: Any, filters: dict[str, Any] | None = None) -> Iterator[list[Any]]:
        raise NotImplementedError

    def filename(self, fmt: str, headers: str = "ko") -> str:
        """`회원사-20261202.xlsx` (Korean by default), `firms-20261202.xlsx` with English headers."""
        name = self.kind if headers == "en" else str(self.label).replace(" ", "_").replace("·", "_")
        return f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"


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


def export_table(
    kind: str,
    user: Any,
    target: IO[bytes],
    fmt: str,
    *,
    request: Any = None,
    headers: str = "ko",
    filters: dict[str, Any] | None = None,
) -> int:
    """Write the export of `kind` for `user` to `target`; returns the number of data rows."""
    exporter = EXPORTERS[kind]()
    count = 0

    def counted() -> Iterator[list[Any]]:
        nonlocal count
        for row in exporter.rows(user, filters or {}):
            count += 1
            yield row

    write_table(exporter.header(headers), counted(), fmt, target, sheet_title=str(exporter.label))
    if exporter.unmasked_ids:
        record_access(user, "export", exporter.object_type, exporter.unmasked_ids, request=request)
    return count


def export_query(request: Any, kind: str, **fixed: Any) -> str | None:
    """The query string for a list page's "엑셀 내려받기" link (its filters, without the page number), or None
    when the user may not export `kind` (the link is then not shown)."""
    exporter = EXPORTERS.get(kind)
    if exporter is None or not exporter.allowed(request.user):
        return None
    query = request.GET.copy()
    query.pop("page", None)
    for name, value in fixed.items():  # what the page itself is of, e.g. its group
        query[name] = str(value)
    return str(query.urlencode())
