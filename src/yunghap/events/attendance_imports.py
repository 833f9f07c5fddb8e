"""`yunghap import attendance FILE --event CODE`: attendance taken on paper, recorded in bulk (issue 11 §8).

Columns `email, session, minutes_present, late, left_early`: `session` is the start `YYYY-MM-DD HH:MM` (KST)
of a session of the event, `late` and `left_early` are `y`/`n` (blank: `n`). Each row is checked with the
rules of the check-in pages (`attendance_services.attendance_errors`: a session of another event or not yet
started, a registration not confirmed or cancelled, minutes beyond the session), every row's errors are
listed, and nothing is written unless the whole file is valid; the rows are then written one by one
through `attendance_services.record_attendance` (method `import`), so completion and certificates follow
exactly as on the pages. A row equal to what is stored is unchanged: re-importing a file changes nothing.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yunghap.accounts.scope import scope_of
from yunghap.core.imports import (
    Column,
    Importer,
    PlanChanged,
    RowError,
    RowPlan,
    RowReader,
    cell_bool,
    cell_int,
    cell_text,
    register,
)

from . import attendance_services as services
from .import_rules import cell_moment
from .models import Attendance, Event, EventSession, Registration, email_key
from .registration import kst

COLUMNS = [
    Column(
        "email",
        "이메일",
        ("참가자 이메일", "신청 이메일"),
        help=gettext_lazy("행사에 신청한 참가자의 이메일 (신청할 때의 주소)"),
        example="kim@example.kr",
    ),
    Column(
        "session",
        "회차",
        ("회차 시작", "회차 시작 일시", "시작 일시"),
        help=gettext_lazy("행사 회차의 시작 일시 (한국 시간)"),
        format="YYYY-MM-DD HH:MM",
        example="2026-03-20 14:00",
    ),
    Column(
        "minutes_present",
        "참석 시간(분)",
        ("참석 시간", "참석분"),
        help=gettext_lazy("회차 중 참석한 시간 (분, 0 이상 회차 길이 이하)"),
        format=gettext_lazy("정수"),
        example=180,
    ),
    Column(
        "late",
        "지각",
        (),
        required=False,
        help=gettext_lazy("늦게 들어왔는지"),
        format="y/n",
        example="n",
    ),
    Column(
        "left_early",
        "조퇴",
        ("일찍 나감",),
        required=False,
        help=gettext_lazy("일찍 나갔는지"),
        format="y/n",
        example="n",
    ),
]


@dataclass
class Row:
    registration: Registration
    session: EventSession
    minutes_present: int
    late: bool
    left_early: bool


@register
class AttendanceImporter(Importer):
    kind = "attendance"
    label = gettext_lazy("행사 출석")
    columns = COLUMNS
    # Education hours and completions are figures of the statistics (issue 11 §7).
    affects = frozenset({"statistics"})

    @classmethod
    def add_arguments(cls, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--event", help="행사 코드 (attendance, registrations import: required)")

    @classmethod
    def option_fields(cls) -> dict[str, Any]:
        return {
            "event": forms.CharField(
                label=gettext_lazy("행사 코드"),
                max_length=40,
                help_text=gettext_lazy("출석·신청을 가져올 때: 어느 행사의 자료인지"),
            )
        }

    @classmethod
    def allowed(cls, user: Any) -> bool:
        """Federation staff (each only for the events they run, checked with the event). Coordinators record
        attendance on the check-in pages: the import and transfer pages are staff's."""
        return user is None or bool(scope_of(user).staff)

    def check_options(self) -> list[RowError]:
        code = cell_text(self.options.get("event"))
        if not code:
            return [RowError(0, "event", _("--event로 행사 코드를 지정해야 합니다."))]
        events = Event.objects.all() if self.actor is None else Event.objects.managed_by(self.actor)
        event = events.filter(code=code).first()
        if event is None:
            return [RowError(0, "event", _("등록되지 않은 행사 코드입니다: '%(code)s'") % {"code": code})]
        self.event: Event = event
        return []

    def plan(self, rows: list[tuple[int, dict[str, Any]]]) -> tuple[list[RowPlan], list[RowError]]:
        errors: list[RowError] = []
        plans: list[RowPlan] = []
        now = timezone.now()
        sessions = {s.starts_at: s for s in EventSession.objects.filter(event=self.event)}
        registrations: dict[str, Registration] = {}
        # The active registration of an address, else its latest cancelled one (to say it was cancelled).
        for stored_registration in Registration.objects.filter(event=self.event).order_by("queue_position"):
            known = registrations.get(stored_registration.email_key)
            if known is None or known.status == Registration.Status.CANCELLED:
                registrations[stored_registration.email_key] = stored_registration
        stored = {
            (a.registration_id, a.session_id): a for a in Attendance.objects.filter(session__event=self.event)
        }
        seen: dict[tuple[int, int], int] = {}
        for number, values in rows:
            reader = RowReader(number, values, errors)
            email = reader.text("email", required=True)
            start = reader.parse("session", cell_moment, required=True)
            minutes = reader.parse("minutes_present", cell_int, required=True)
            late = bool(reader.parse("late", cell_bool, default=False))
            left_early = bool(reader.parse("left_early", cell_bool, default=False))
            registration = registrations.get(email_key(email)) if email else None
            if email and registration is None:
                reader.error(
                    "email", _("이 행사에 신청하지 않은 이메일입니다: '%(email)s'") % {"email": email}
                )
            session = sessions.get(start) if start is not None else None
            if start is not None and session is None:
                reader.error(
                    "session",
                    _("이 행사에 %(start)s에 시작하는 회차가 없습니다.") % {"start": kst(start)},
                )
            if not reader.ok or registration is None or session is None or minutes is None:
                continue
            key = (registration.pk, session.pk)
            if key in seen:
                reader.error("", _("%(row)s행과 같은 참가자·회차입니다.") % {"row": seen[key]})
                continue
            seen[key] = number
            for refusal in services.attendance_errors(registration, session, now, minutes):
                column = {"minutes": "minutes_present", "not_started": "session"}.get(refusal.code, "email")
                reader.error(column, refusal.message)
            if not reader.ok:
                continue
            row = Row(registration, session, minutes, late, left_early)
            before = stored.get(key)
            if before is None:
                plans.append(RowPlan(number, "create", row))
                continue
            changes = {
                name: (getattr(before, name), getattr(row, name))
                for name in ("minutes_present", "late", "left_early")
                if getattr(before, name) != getattr(row, name)
            }
            plans.append(RowPlan(number, "update" if changes else "unchanged", row, changes))
        return plans, errors

    def apply(self, plans: list[RowPlan]) -> None:
        problems: list[RowError] = []
        for plan in plans:
            if plan.action == "unchanged":
                continue
            row: Row = plan.payload
            try:
                services.record_attendance(
                    row.registration,
                    row.session,
                    minutes_present=row.minutes_present,
                    late=row.late,
                    left_early=row.left_early,
                    method=Attendance.Method.IMPORT,
                    actor=self.actor,
                )
            except ValidationError as error:
                problems.append(RowError(plan.row, "", " ".join(error.messages)))
            except PermissionDenied as error:
                problems.append(RowError(plan.row, "", str(error)))
        if problems:
            raise PlanChanged(problems)

    def audit_details(self, plans: list[RowPlan]) -> dict[str, Any]:
        return {"event": self.event.code}
