"""The group page's member tables, built in Python: the page is load-tested (bench/http_load.py).

A template loop with a tag per cell spent most of the page's time on ~40 rows, and `format_html` per
cell (lazy-aware escaping) still half of that; every value here goes through `html.escape` (what Django's
`escape` calls) and the joined markup is marked safe once.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import PagePeriod
from .templatetags.network_tags import personal


def _firm_cell(period: PagePeriod) -> str:
    name = escape(period.firm.name)
    if period.firm_url:
        return f'<a href="{escape(period.firm_url)}">{name}</a>'
    return name


def _manage_cell(period: PagePeriod, label: str) -> str:
    if not period.edit_url:
        return "<td></td>"
    return (
        f'<td><a href="{escape(period.edit_url)}">{label}'
        f'<span class="sr-only"> ({escape(period.firm.name)})</span></a></td>'
    )


def current_rows(periods: Iterable[PagePeriod], *, show_personal: bool, can_manage: bool) -> SafeString:
    """The `<tr>`s of the current members' table (the template writes the row for an empty list)."""
    label = escape(_("수정·탈퇴"))
    rows = [
        f'<tr><th scope="row">{_firm_cell(p)}</th>'
        f"<td>{escape(p.firm.industry.code)} {escape(p.firm.industry.name)}</td>"
        f"<td>{escape(p.role_label)}</td><td>{p.joined_on.isoformat()}</td>"
        f"<td>{escape(personal(p.firm.representative, 'name', show_personal))}</td>"
        f"<td>{escape(personal(p.firm.phone, 'phone', show_personal))}</td>"
        f"{_manage_cell(p, label) if can_manage else ''}</tr>"
        for p in periods
    ]
    return mark_safe("\n".join(rows))  # noqa: S308  (every value above is escaped)


def former_rows(periods: Iterable[PagePeriod], *, can_manage: bool) -> SafeString:
    label = escape(_("수정"))
    rows = [
        f'<tr><th scope="row">{_firm_cell(p)}</th><td>{escape(p.role_label)}</td>'
        f"<td>{p.joined_on.isoformat()}</td><td>{p.left_on.isoformat() if p.left_on else '—'}</td>"
        f"{_manage_cell(p, label) if can_manage else ''}</tr>"
        for p in periods
    ]
    return mark_safe("\n".join(rows))  # noqa: S308  (every value above is escaped)
