"""Completion of an event, computed from attendance (issue 11, item 3): one pure function over plain data.

The attendance check-in, the attendance import, the completion report and the certificate all call
`compute_completion`, so a person completes the same way on every path. It reads no database and no clock.

The rules, each number a setting of the event (`Settings`, defaults from the issue):
- a session's *length* is from its start to its end; its *hours* are the hours it credits (default: its
  length in hours);
- a session is *attended* when the minutes present are at least `attended_share` % of its length
  (exactly half of a 90-minute session, 45 minutes, is attended; 44 is not);
- every `marks_per_absence` marks on attended sessions (a late arrival is one mark, an early leave one; a
  session both late and left early carries two) count as one absence: that many attended sessions no longer
  count, the shortest first. Ties between sessions of the same length: the earlier one (by start, then by
  key) is dropped first, so the result never depends on the order the sessions were given in.
  Marks on sessions that were not attended do not count (the absence is already there);
- hours attended = the hours of the sessions that still count; attendance rate = hours attended / all the
  event's session hours × 100, rounded half up to one decimal;
- completed when the rounded rate is at least `threshold` (80.0 %).

Arithmetic is exact (fractions of minutes and hours, `Decimal` at the edges, never floats), so 79.95 % rounds
to 80.0 % and completes, and 79.94 % does not. An event without sessions (or whose sessions credit no hours)
has a rate of 0.0 and nobody completes it: there is nothing to have attended.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Hours are shown to the hundredth (a 50-minute session credits 0.83 h); the rate is computed from exact values.
HUNDREDTH = Decimal("0.01")


@dataclass(frozen=True)
class SessionSpec:
    """One session of the event. `hours` None: it credits its length."""

    key: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    hours: Decimal | None = None

    @property
    def length_minutes(self) -> Fraction:
        return Fraction(int((self.ends_at - self.starts_at).total_seconds()), 60)

    @property
    def credited_hours(self) -> Fraction:
        if self.hours is None:
            return self.length_minutes / 60
        return Fraction(self.hours)


@dataclass(frozen=True)
class Presence:
    """What was recorded for one person at one session (no record at all: absent)."""

    session_key: str
    minutes_present: int
    late: bool = False
    left_early: bool = False

    @property
    def marks(self) -> int:
        return int(self.late) + int(self.left_early)


@dataclass(frozen=True)
class Settings:
    """The event's completion settings (issue 11 defaults)."""

    attended_share: int | Decimal = 50
    marks_per_absence: int = 3
    threshold: Decimal = Decimal("80.0")


@dataclass(frozen=True)
class Completion:
    hours_attended: Decimal
    total_hours: Decimal
    attendance_rate: Decimal
    completed: bool
    # Keys of the sessions, in the order they were given: attended and still counting / attended but dropped
    # for marks (sessions not attended are in neither).
    counted_sessions: tuple[str, ...]
    dropped_sessions: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        """The completion report's fields (`attendance_rate` as percent with one decimal)."""
        return {
            "hours_attended": str(self.hours_attended),
            "total_hours": str(self.total_hours),
            "attendance_rate": str(self.attendance_rate),
            "completed": self.completed,
        }


class CompletionInputError(ValueError):
    """The data given cannot describe an event's attendance (a programming or import error, never a user's)."""


def _round_half_up(value: Fraction, quantum: Decimal) -> Decimal:
    # Decimal division of two exact integers, then one rounding: no binary floats anywhere.
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(quantum, rounding=ROUND_HALF_UP)


def _rate(counted: Fraction, total: Fraction) -> Decimal:
    if total <= 0:
        return Decimal("0.0")
    # Round the exact fraction: ×10, add ½, floor (all non-negative), so 79.95 → 80.0 without any
    # intermediate decimal approximation.
    tenths = counted * 1000 / total  # the rate in tenths of a percent
    return Decimal(int(tenths + Fraction(1, 2))).scaleb(-1)


def _check(sessions: Sequence[SessionSpec], presences: Sequence[Presence], settings: Settings) -> None:
    if settings.marks_per_absence < 1:
        raise CompletionInputError("marks_per_absence must be at least 1")
    if not 0 <= Fraction(settings.attended_share) <= 100:
        raise CompletionInputError("attended_share must be between 0 and 100")
    keys = [session.key for session in sessions]
    if len(set(keys)) != len(keys):
        raise CompletionInputError("two sessions share a key")
    for session in sessions:
        if session.ends_at <= session.starts_at:
            raise CompletionInputError(f"session {session.key} ends before it starts")
        if session.hours is not None and session.hours < 0:
            raise CompletionInputError(f"session {session.key} credits negative hours")
    seen: set[str] = set()
    for presence in presences:
        if presence.session_key not in keys:
            raise CompletionInputError(f"presence for an unknown session {presence.session_key}")
        if presence.session_key in seen:
            raise CompletionInputError(f"two presences for session {presence.session_key}")
        if presence.minutes_present < 0:
            raise CompletionInputError(f"negative minutes at session {presence.session_key}")
        seen.add(presence.session_key)


def compute_completion(
    sessions: Sequence[SessionSpec], presences: Iterable[Presence], settings: Settings | None = None
) -> Completion:
    """One person's completion of one event, from the event's sessions and that person's presences."""
    settings = settings or Settings()
    presences = list(presences)
    _check(sessions, presences, settings)
    by_key = {presence.session_key: presence for presence in presences}
    share = Fraction(settings.attended_share) / 100

    attended: list[SessionSpec] = []
    marks = 0
    for session in sessions:
        presence = by_key.get(session.key)
        if presence is not None and presence.minutes_present >= share * session.length_minutes:
            attended.append(session)
            marks += presence.marks

    absences = marks // settings.marks_per_absence
    shortest_first = sorted(attended, key=lambda s: (s.length_minutes, s.starts_at, s.key))
    dropped = {session.key for session in shortest_first[:absences]}

    counted = [s for s in attended if s.key not in dropped]
    counted_hours = sum((s.credited_hours for s in counted), Fraction(0))
    total_hours = sum((s.credited_hours for s in sessions), Fraction(0))
    rate = _rate(counted_hours, total_hours)
    return Completion(
        hours_attended=_round_half_up(counted_hours, HUNDREDTH),
        total_hours=_round_half_up(total_hours, HUNDREDTH),
        attendance_rate=rate,
        # An event crediting no hours has nothing to complete, whatever the threshold.
        completed=total_hours > 0 and rate >= settings.threshold,
        counted_sessions=tuple(s.key for s in counted),
        dropped_sessions=tuple(s.key for s in attended if s.key in dropped),
    )
