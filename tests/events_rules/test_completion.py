"""Completion computed from attendance (issue 11, item 3): the boundaries the issue names, and properties."""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yunghap.events.completion import (
    Completion,
    CompletionInputError,
    Presence,
    SessionSpec,
    Settings,
    compute_completion,
)

KST = datetime.timezone(datetime.timedelta(hours=9))
DAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=KST)


def session(key: str, day: int, minutes: int, hours: str | None = None, start_hour: int = 0) -> SessionSpec:
    starts = DAY + datetime.timedelta(days=day, hours=start_hour)
    return SessionSpec(
        key, starts, starts + datetime.timedelta(minutes=minutes), Decimal(hours) if hours else None
    )


def ten_hour_sessions() -> list[SessionSpec]:
    return [session(f"s{i}", i, 60) for i in range(10)]


def test_a_session_attended_exactly_half_counts_and_one_minute_less_does_not() -> None:
    sessions = [session("a", 0, 90), session("b", 1, 90)]
    half = compute_completion(sessions, [Presence("a", 45), Presence("b", 90)])
    assert half.counted_sessions == ("a", "b")
    assert half.attendance_rate == Decimal("100.0")
    assert half.completed is True

    short = compute_completion(sessions, [Presence("a", 44), Presence("b", 90)])
    assert short.counted_sessions == ("b",)
    assert short.hours_attended == Decimal("1.50")
    assert short.total_hours == Decimal("3.00")
    assert short.attendance_rate == Decimal("50.0")
    assert short.completed is False


def test_the_rate_at_80_0_completes_and_at_79_9_does_not() -> None:
    # 1000 minutes of sessions; hours equal to length. 799 of 1000 → 79.9 %, 800 → 80.0 %.
    sessions = [session("long", 0, 799), session("rest", 1, 200), session("one", 2, 1)]
    at_79_9 = compute_completion(sessions, [Presence("long", 799)])
    assert at_79_9.attendance_rate == Decimal("79.9")
    assert at_79_9.completed is False
    at_80 = compute_completion(sessions, [Presence("long", 799), Presence("one", 1)])
    assert at_80.attendance_rate == Decimal("80.0")
    assert at_80.completed is True


def test_the_rate_is_rounded_half_up_before_the_threshold() -> None:
    # 1599 / 2000 = 79.95 % → 80.0 % (half up) → completed; 15989 / 20000 = 79.945 % → 79.9 %.
    hours = [session("a", 0, 60, "15.99"), session("b", 1, 60, "4.01")]
    rounded_up = compute_completion(hours, [Presence("a", 60)])
    assert rounded_up.attendance_rate == Decimal("80.0")
    assert rounded_up.completed is True
    down = [session("a", 0, 60, "15.989"), session("b", 1, 60, "4.011")]
    rounded_down = compute_completion(down, [Presence("a", 60)])
    assert rounded_down.attendance_rate == Decimal("79.9")
    assert rounded_down.completed is False


def test_two_marks_drop_nothing_and_the_third_drops_one_session() -> None:
    sessions = ten_hour_sessions()
    two = [Presence(f"s{i}", 60, late=i < 2) for i in range(10)]
    assert compute_completion(sessions, two).counted_sessions == tuple(f"s{i}" for i in range(10))
    assert compute_completion(sessions, two).attendance_rate == Decimal("100.0")

    three = [Presence(f"s{i}", 60, late=i < 3) for i in range(10)]
    result = compute_completion(sessions, three)
    # All the same length: the earliest is dropped first.
    assert result.dropped_sessions == ("s0",)
    assert result.hours_attended == Decimal("9.00")
    assert result.attendance_rate == Decimal("90.0")


def test_a_session_both_late_and_left_early_carries_two_marks() -> None:
    sessions = ten_hour_sessions()
    presences = [Presence("s0", 60, late=True, left_early=True), Presence("s1", 60, left_early=True)] + [
        Presence(f"s{i}", 60) for i in range(2, 10)
    ]
    result = compute_completion(sessions, presences)
    assert len(result.dropped_sessions) == 1
    # Six marks: two absences.
    six = [Presence(f"s{i}", 60, late=True, left_early=True) for i in range(3)] + [
        Presence(f"s{i}", 60) for i in range(3, 10)
    ]
    assert compute_completion(sessions, six).dropped_sessions == ("s0", "s1")


def test_the_shortest_attended_session_is_dropped_first() -> None:
    sessions = [session("long", 0, 240), session("short", 1, 60), session("middle", 2, 120)]
    presences = [
        Presence("long", 240, late=True),
        Presence("short", 60, late=True),
        Presence("middle", 120, late=True),
    ]
    result = compute_completion(sessions, presences)
    assert result.dropped_sessions == ("short",)
    assert result.counted_sessions == ("long", "middle")
    assert result.hours_attended == Decimal("6.00")
    assert result.attendance_rate == Decimal("85.7")  # 6 / 7


def test_ties_in_length_are_broken_by_start_then_key_whatever_the_given_order() -> None:
    a = session("a", 1, 60)
    b = session("b", 0, 60)
    presences = [Presence(k, 60, late=True) for k in ("a", "b", "c")]
    c = session("c", 0, 60)  # same start as b: the key decides
    for order in ([a, b, c], [c, b, a], [b, a, c]):
        assert compute_completion(order, presences).dropped_sessions == ("b",)


def test_marks_on_sessions_not_attended_do_not_count() -> None:
    sessions = ten_hour_sessions()
    presences = [Presence("s0", 10, late=True, left_early=True), Presence("s1", 10, late=True)] + [
        Presence(f"s{i}", 60) for i in range(2, 10)
    ]
    result = compute_completion(sessions, presences)
    assert result.dropped_sessions == ()
    assert result.attendance_rate == Decimal("80.0")
    assert result.completed is True


def test_more_absences_than_attended_sessions_drop_them_all() -> None:
    sessions = [session("a", 0, 60), session("b", 1, 60)]
    presences = [Presence("a", 60, late=True, left_early=True), Presence("b", 60, late=True, left_early=True)]
    result = compute_completion(sessions, presences, Settings(marks_per_absence=1))
    assert result.dropped_sessions == ("a", "b")
    assert result.hours_attended == Decimal("0.00")
    assert result.attendance_rate == Decimal("0.0")


def test_hours_credited_differ_from_the_length() -> None:
    # A 4-hour session credits 3 hours, a 50-minute one its length (0.83 h shown, exact inside).
    sessions = [session("lecture", 0, 240, "3"), session("talk", 1, 50)]
    result = compute_completion(sessions, [Presence("lecture", 120)])
    assert result.hours_attended == Decimal("3.00")
    assert result.total_hours == Decimal("3.83")
    assert result.attendance_rate == Decimal("78.3")  # 3 / (3 + 5/6) = 78.26…


def test_the_settings_are_the_events() -> None:
    sessions = ten_hour_sessions()
    presences = [Presence(f"s{i}", 45 if i < 7 else 0) for i in range(10)]
    assert compute_completion(sessions, presences).attendance_rate == Decimal("70.0")
    strict = compute_completion(sessions, presences, Settings(attended_share=80))
    assert strict.attendance_rate == Decimal("0.0")
    lenient = compute_completion(sessions, presences, Settings(threshold=Decimal("70.0")))
    assert lenient.completed is True


def test_no_sessions_means_nothing_to_complete() -> None:
    result = compute_completion([], [])
    assert result == Completion(Decimal("0.00"), Decimal("0.00"), Decimal("0.0"), False, (), ())
    zero_hours = compute_completion([session("a", 0, 60, "0")], [Presence("a", 60)])
    assert zero_hours.attendance_rate == Decimal("0.0")
    assert zero_hours.completed is False
    assert compute_completion([], [], Settings(threshold=Decimal("0"))).completed is False


def test_no_presence_at_all_is_absent_everywhere() -> None:
    result = compute_completion(ten_hour_sessions(), [])
    assert result.counted_sessions == ()
    assert result.attendance_rate == Decimal("0.0")
    assert result.as_dict() == {
        "hours_attended": "0.00",
        "total_hours": "10.00",
        "attendance_rate": "0.0",
        "completed": False,
    }


@pytest.mark.parametrize(
    ("sessions", "presences", "conf", "message"),
    [
        ([session("a", 0, 60)], [Presence("x", 60)], Settings(), "presence for an unknown session x"),
        (
            [session("a", 0, 60)],
            [Presence("a", 60), Presence("a", 30)],
            Settings(),
            "two presences for session a",
        ),
        ([session("a", 0, 60), session("a", 1, 60)], [], Settings(), "two sessions share a key"),
        ([session("a", 0, 0)], [], Settings(), "session a ends before it starts"),
        ([session("a", 0, 60)], [Presence("a", -1)], Settings(), "negative minutes at session a"),
        ([session("a", 0, 60)], [], Settings(marks_per_absence=0), "marks_per_absence must be at least 1"),
        ([session("a", 0, 60)], [], Settings(attended_share=101), "attended_share must be between 0 and 100"),
    ],
)
def test_data_that_cannot_be_attendance_is_refused(sessions, presences, conf, message) -> None:
    with pytest.raises(CompletionInputError, match=f"^{message}$"):
        compute_completion(sessions, presences, conf)


# ---- properties ------------------------------------------------------------------------------------------

lengths = st.integers(min_value=1, max_value=600)
credited = st.one_of(st.none(), st.decimals(min_value=0, max_value=20, places=2, allow_nan=False))


@st.composite
def events(draw: st.DrawFn) -> tuple[list[SessionSpec], list[Presence]]:
    count = draw(st.integers(min_value=0, max_value=8))
    sessions = [session(f"s{i}", i, draw(lengths), None) for i in range(count)]
    sessions = [
        SessionSpec(s.key, s.starts_at, s.ends_at, draw(credited)) for s in sessions
    ]  # hours may differ from the length
    presences = []
    for s in sessions:
        if draw(st.booleans()):
            minutes = draw(st.integers(min_value=0, max_value=int(s.length_minutes)))
            presences.append(Presence(s.key, minutes, draw(st.booleans()), draw(st.booleans())))
    return sessions, presences


@settings(max_examples=200, deadline=None)
@given(events(), st.decimals(min_value=0, max_value=100, places=1, allow_nan=False))
def test_the_rate_is_a_percentage_and_completion_follows_it(event, threshold) -> None:
    sessions, presences = event
    result = compute_completion(sessions, presences, Settings(threshold=threshold))
    assert Decimal("0.0") <= result.attendance_rate <= Decimal("100.0")
    assert result.attendance_rate.as_tuple().exponent == -1  # always one decimal, "80.0" not "80"
    any_hours = sum((s.credited_hours for s in sessions), Fraction(0)) > 0
    assert result.completed == (any_hours and result.attendance_rate >= threshold)
    assert set(result.counted_sessions).isdisjoint(result.dropped_sessions)


@settings(max_examples=200, deadline=None)
@given(events(), st.data())
def test_more_presence_never_lowers_the_rate_when_there_are_no_marks(event, data) -> None:
    sessions, presences = event
    unmarked = [Presence(p.session_key, p.minutes_present) for p in presences]
    before = compute_completion(sessions, unmarked)
    # More minutes at sessions already recorded, and some sessions newly recorded.
    recorded = {p.session_key for p in unmarked}
    more = [
        Presence(
            p.session_key,
            p.minutes_present + data.draw(st.integers(min_value=0, max_value=600)),
        )
        for p in unmarked
    ] + [
        Presence(s.key, data.draw(st.integers(min_value=0, max_value=600)))
        for s in sessions
        if s.key not in recorded and data.draw(st.booleans())
    ]
    after = compute_completion(sessions, more)
    assert after.attendance_rate >= before.attendance_rate
    assert after.hours_attended >= before.hours_attended
    assert set(before.counted_sessions) <= set(after.counted_sessions)
