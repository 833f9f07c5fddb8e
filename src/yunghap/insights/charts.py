"""ECharts options built from Python data: the page only hands them to the library (static/insights)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.html import format_html, format_html_join


def _num(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    return value


def line_chart(
    title: str,
    periods: list[str],
    series: list[tuple[str, list[Any]]],
    *,
    bar: bool = False,
    right: list[str] | None = None,
    integer: bool = True,
) -> dict[str, Any]:
    """A line (or bar) chart; series named in `right` use a second y axis (rates beside counts).

    Counts (`integer`) get whole-number ticks only: no "0.5 meetings" on a small group's axis.
    """
    right = right or []
    left: dict[str, Any] = {"type": "value"}
    if integer:
        left["minInterval"] = 1
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 60, "right": 60 if right else 20, "top": 40, "bottom": 60},
        "xAxis": {"type": "category", "data": periods},
        "yAxis": [left] + ([{"type": "value", "max": 100, "name": "%"}] if right else []),
        "series": [
            {
                "name": name,
                "type": "bar" if bar and name not in right else "line",
                "data": [_num(v) for v in values],
                "yAxisIndex": 1 if name in right else 0,
                "showSymbol": len(periods) <= 24,
            }
            for name, values in series
        ],
        "aria": {"enabled": True},
    }


def bar_chart(title: str, categories: list[str], series: list[tuple[str, list[Any]]]) -> dict[str, Any]:
    return {
        "title": {"text": title, "left": "center", "textStyle": {"fontSize": 14}},
        "tooltip": {"trigger": "axis"},
        "legend": {"bottom": 0},
        "grid": {"left": 60, "right": 20, "top": 40, "bottom": 80},
        # Labels come wrapped at spaces (`wrap_words`): ECharts' own "break" cuts words ("이 / 상").
        "xAxis": {"type": "category", "data": categories, "axisLabel": {"interval": 0}},
        "yAxis": {"type": "value", "max": 100, "name": "%"},
        "series": [
            {
                "name": name,
                "type": "bar",
                "data": [_num(v) for v in values],
                "label": {"show": True, "position": "top"},
            }
            for name, values in series
        ],
        "aria": {"enabled": True},
    }


def wrap_words(text: str, width: int = 8) -> str:
    """Break a label into lines at spaces only, each line up to `width` characters where words allow.

    "참석률 70% 이상" → "참석률 70%\n이상"; a word is never cut, however long.
    """
    lines: list[str] = []
    for word in str(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal):
        return f"{value:,}"
    return str(value)


def data_table(caption: str, header: list[str], rows: list[tuple[str, list[Any]]]) -> str:
    """A chart's data table as HTML, built here: ~2,000 cells render in milliseconds, not a template loop.

    Numbers get thousands separators, None becomes "—"; everything is escaped.
    """
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in header))
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (period, format_html_join("", "<td>{}</td>", ((_cell(v),) for v in values)))
            for period, values in rows
        ),
    )
    return format_html(
        "<table><caption>{}</caption><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", caption, head, body
    )
