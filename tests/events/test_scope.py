"""Who sees and who runs events (events/scope.py): every audience against every kind of user."""

from __future__ import annotations

import datetime

import pytest

from tests.events.factories import make_event
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.events.models import Event, Registration
from yunghap.events.scope import may_create_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    seoul, busan = region("seoul"), region("busan")
    group = GroupFactory(federation=seoul)
    member = FirmFactory(federation=seoul)
    MembershipFactory(group=group, firm=member)
    left = FirmFactory(federation=busan)
    MembershipFactory(group=group, firm=left, left_on=datetime.date(2010, 1, 1))
    events = {
        "everyone": make_event(),
        "members": make_event(audience=Event.Audience.MEMBERS),
        "seoul": make_event(audience=Event.Audience.REGION, audience_region=seoul, organiser=seoul),
        "busan": make_event(audience=Event.Audience.REGION, audience_region=busan, organiser=busan),
        "group": make_event(audience=Event.Audience.GROUP, audience_group=group, organiser=seoul),
    }
    users = {
        "anon": None,
        "central": make_user("c", Role.CENTRAL_STAFF),
        "seoul": make_user("s", Role.REGIONAL_STAFF, federation=seoul),
        "busan": make_user("b", Role.REGIONAL_STAFF, federation=busan),
        "member": make_user("m", Role.FIRM_USER, firm=member),
        "former": make_user("f", Role.FIRM_USER, firm=left),
        "coordinator": make_user("k", Role.COORDINATOR, group=group),
    }
    return events, users


SEES = {
    "anon": {"everyone", "members"},
    "central": {"everyone", "members", "seoul", "busan", "group"},
    "seoul": {"everyone", "members", "seoul", "group"},
    "busan": {"everyone", "members", "busan"},
    "member": {"everyone", "members", "seoul", "group"},
    # A firm registered in Busan that left the Seoul group in 2010: Busan's events, not the group's.
    "former": {"everyone", "members", "busan"},
    "coordinator": {"everyone", "members", "seoul", "group"},
}


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_user_sees_the_events_of_their_audience(world, who):
    events, users = world
    codes = {e.pk: name for name, e in events.items()}
    seen = {codes[pk] for pk in Event.objects.visible_to(users[who]).values_list("pk", flat=True)}
    assert seen == SEES[who]


def test_a_registration_makes_its_event_visible_to_the_person(world):
    events, users = world
    busan_user = users["busan"]
    Registration.objects.create(
        event=events["group"],
        name="김혜민",
        email="hm@example.com",
        user=busan_user,
        registered_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        status=Registration.Status.CONFIRMED,
        queue_position=1,
    )
    assert Event.objects.visible_to(busan_user).filter(pk=events["group"].pk).exists()
    assert Registration.objects.visible_to(busan_user).count() == 1
    assert Registration.objects.visible_to(users["member"]).count() == 0
    assert Registration.objects.visible_to(users["seoul"]).count() == 1  # the organiser's staff


def test_managers_are_central_the_organisers_staff_and_the_creating_coordinator(world):
    events, users = world
    assert Event.objects.managed_by(users["central"]).count() == 5
    assert set(Event.objects.managed_by(users["seoul"])) == {events["seoul"], events["group"]}
    assert not Event.objects.managed_by(users["coordinator"]).exists()
    events["group"].created_by = users["coordinator"]
    events["group"].save()
    assert list(Event.objects.managed_by(users["coordinator"])) == [events["group"]]
    assert not Event.objects.managed_by(users["member"]).exists()
    assert may_create_for(users["coordinator"], region("seoul").pk)
    assert not may_create_for(users["coordinator"], region("busan").pk)
    assert not may_create_for(users["seoul"], None)
    assert may_create_for(users["central"], None)
