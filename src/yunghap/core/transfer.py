"""Shared by the import/export commands and web pages: the Korean report and the acting user."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from .imports import ImportReport
from .korean import fill

CHANGES_SHOWN = 1000  # changed cells listed by the command and kept in a web import's report


def format_report(report: ImportReport) -> list[str]:
    """The report as Korean lines: the counts, then every error as `행 N, 열 X: message`."""
    lines = [
        _(
            "%(kind)s 가져오기%(dry)s: 전체 %(total)s행 — 추가 %(created)s, 변경 %(updated)s, 변동 없음 %(unchanged)s"
        )
        % {
            "kind": report.kind,
            "dry": _(" (시험 실행)") if report.dry_run else "",
            "total": report.total,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
        }
    ]
    for change in report.changes[:CHANGES_SHOWN]:
        lines.append(
            _("행 %(row)s, 열 %(column)s: %(old)s → %(new)s")
            % {
                "row": change.row,
                "column": report.column_label(change.column),
                "old": change.old or _("(빈칸)"),
                "new": change.new or _("(빈칸)"),
            }
        )
    if len(report.changes) > CHANGES_SHOWN:
        lines.append(
            _("변경 내용 %(count)s건이 더 있습니다.") % {"count": len(report.changes) - CHANGES_SHOWN}
        )
    for error in report.errors:
        where = _("행 %(row)s") % {"row": error.row} if error.row else _("파일")
        if error.column:
            where += _(", 열 %(column)s") % {"column": report.column_label(error.column)}
        lines.append(f"{where}: {error.message}")
    if report.errors:
        lines.append(_("오류 %(count)s건: 아무것도 저장하지 않았습니다.") % {"count": len(report.errors)})
    elif report.dry_run:
        lines.append(_("오류가 없습니다. --dry-run 없이 실행하면 저장합니다."))
    else:
        lines.append(_("저장했습니다."))
    return lines


def actor_named(username: str | None) -> Any:
    if not username:
        return None
    try:
        return get_user_model().objects.get(username=username, is_active=True)
    except get_user_model().DoesNotExist as exc:
        raise LookupError(fill(_("사용자 '%(name)s'이(가) 없습니다."), {"name": username})) from exc
