"""The events demo: twelve events over this month and the next, national and regional, with a full event
whose seat is offered to the `firm` login; deterministic, and a second run changes nothing."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tests.conftest import refill_reference_data
from yunghap.events import demo as events_demo
from yunghap.events.models import Event, EventSession, Registration


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        refill_reference_data()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "--network-only", stdout=io.StringIO())
            out = io.StringIO()
            events_demo.build_demo(seed=7, stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.mark.django_db
def test_the_demo_has_events_of_every_kind_this_month_and_next(built):
    assert "교육·행사: 행사 12건" in built
    events = Event.objects.filter(code__startswith="demo-").exclude(code__contains="-past-")
    assert events.count() == 12
    assert events.filter(organiser__isnull=True).exists() and events.filter(organiser__isnull=False).exists()
    assert len(set(events.values_list("kind", flat=True))) >= 6
    month = timezone.localdate().replace(day=1)
    starts = [
        timezone.localdate(s)
        for s in EventSession.objects.filter(event__in=events).values_list("starts_at", flat=True)
    ]
    assert all(day >= month for day in starts)
    assert (
        Counter(Registration.objects.filter(event__in=events).values_list("status", flat=True))["confirmed"]
        > 10
    )


@pytest.mark.django_db
def test_the_full_event_offers_its_seat_to_the_firm_login(built):
    full = Event.objects.exclude(code__contains="-past-").get(code__endswith="-01", code__startswith="demo-")
    statuses = Counter(full.registrations.values_list("status", flat=True))
    assert statuses == {"confirmed": 2, "offered": 1, "waiting": 2, "cancelled": 1}
    offered = full.registrations.get(status="offered")
    assert offered.user is not None and offered.user.username == "firm"
    assert offered.offer_expires_at > timezone.now()


@pytest.mark.django_db
def test_the_courses_already_held_have_attendance_certificates_and_answers(built):
    """What the demo shows of events already held: completions with their certificates (the `firm` login
    holds one, to download and verify), satisfaction answers, and the yearly figures of the statistics."""
    from yunghap.events.models import Certificate, EducationYear, FeedbackAnswer

    past = Event.objects.filter(code__contains="-past-")
    assert past.count() == 3
    assert all(e.sessions.order_by("-ends_at")[0].ends_at < timezone.now() for e in past)
    mine = Registration.objects.get(event__code="demo-past-01", user__username="firm")
    assert mine.completed and mine.attendance_rate == 100
    assert Certificate.objects.filter(registration=mine, revoked_at__isnull=True).count() == 1
    assert Certificate.objects.filter(revoked_at__isnull=True).count() > 10
    assert FeedbackAnswer.objects.filter(survey__event__in=past).count() >= 5
    assert EducationYear.objects.exists()


@pytest.mark.django_db
def test_a_second_run_changes_nothing(built):
    before = Registration.objects.count()
    out = io.StringIO()
    events_demo.build_demo(seed=7, stdout=out)
    assert "이미 있어" in out.getvalue()
    assert Registration.objects.count() == before


@pytest.mark.django_db
def test_reset_removes_what_protects_the_network(built):
    from yunghap.network.models import Firm

    firm_ids = set(Registration.objects.exclude(firm=None).values_list("firm_id", flat=True))
    events_demo.reset_demo()
    assert not Event.objects.exists() and not Registration.objects.exists()
    Firm.objects.filter(pk__in=firm_ids).delete()  # no longer protected by a registration
    assert not Firm.objects.filter(pk__in=firm_ids).exists()
