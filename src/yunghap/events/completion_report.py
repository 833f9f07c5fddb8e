"""`yunghap report completion --event CODE`: one row per registration with its stored completion.

The figures are those the attendance services stored on each registration (`hours_attended`,
`attendance_rate`, `completed`, computed by `completion.compute_completion`), and the number of its valid
certificate (null when none). JSON numbers: `hours_attended` with two decimals, `attendance_rate` with one.
"""

from __future__ import annotations

import io
import json
from typing import Any

from django.db.models import Prefetch

from .models import Certificate, Event, Registration

HEADER = ["email", "name", "status", "hours_attended", "attendance_rate", "completed", "certificate"]


def completion_rows(event: Event) -> list[dict[str, Any]]:
    valid = Certificate.objects.filter(revoked_at__isnull=True)
    registrations = (
        Registration.objects.filter(event=event)
        .order_by("queue_position")
        .prefetch_related(Prefetch("certificates", queryset=valid, to_attr="valid_certificates"))
    )
    rows = []
    for registration in registrations:
        certificates = getattr(registration, "valid_certificates", [])
        rows.append(
            {
                "email": registration.email,
                "name": registration.name,
                "status": registration.status,
                "hours_attended": float(registration.hours_attended),
                "attendance_rate": float(registration.attendance_rate),
                "completed": registration.completed,
                "certificate": certificates[0].number if certificates else None,
            }
        )
    return rows


def report_json(rows: list[dict[str, Any]]) -> str:
    return json.dumps(rows, ensure_ascii=False, indent=2)


def report_file(event: Event, rows: list[dict[str, Any]], fmt: str) -> bytes:
    """CSV (UTF-8 with BOM, as the other reports) or XLSX of the rows."""
    from yunghap.core.spreadsheets import write_table

    lines = [
        [
            row["email"],
            row["name"],
            row["status"],
            row["hours_attended"],
            row["attendance_rate"],
            "y" if row["completed"] else "n",
            row["certificate"] or "",
        ]
        for row in rows
    ]
    buffer = io.BytesIO()
    write_table(HEADER, lines, fmt, buffer, sheet_title=f"completion {event.code}"[:31])
    return buffer.getvalue()
