"""The competition demo: a judged competition with entries by groups and consortia, conflict-free assignments,
every score sheet and the awards; a second run changes nothing; the reset removes it all."""

from __future__ import annotations

import io

import pytest

from tests.programmes.chain_factories import make_funded
from tests.programmes.factories import make_reviewer
from yunghap.competitions import conflicts, demo
from yunghap.competitions.models import Award, Competition, Entry, ReviewerAssignment, ScoreSheet
from yunghap.events.models import Event

pytestmark = pytest.mark.django_db


def test_demo_builds_a_judged_competition(comp):
    Competition.objects.all().delete()  # the fixture's own competition
    make_funded(comp.net)
    for _ in range(3):
        make_reviewer()
    out = io.StringIO()
    demo.build_demo(seed=7, stdout=out)
    competition = Competition.objects.get()
    # The events' competition event (here the fixture's) is used.
    assert competition.event.code == "comp-world"
    entries = list(competition.entries.all())
    assert any(e.group_id for e in entries) and any(e.consortium_id for e in entries)
    items = list(ReviewerAssignment.objects.select_related("reviewer", "entry"))
    assert items and not conflicts.conflict_map([i.reviewer for i in items], entries).keys() & {
        (i.reviewer_id, i.entry_id) for i in items
    }
    assert ScoreSheet.objects.count() == len(items)
    assert Award.objects.filter(competition=competition).exists()
    assert "경진대회:" in out.getvalue() and "수상" in out.getvalue()
    again = io.StringIO()
    demo.build_demo(seed=7, stdout=again)
    assert "이미 있어" in again.getvalue() and Competition.objects.count() == 1
    demo.reset_demo()
    assert not Competition.objects.exists() and not Entry.objects.exists() and not Award.objects.exists()
    # Without a competition event, one is made.
    Event.objects.all().delete()
    demo.build_demo(seed=7, stdout=io.StringIO())
    event = Competition.objects.get().event
    assert event.code.startswith(demo.CODE_PREFIX) and event.audience == Event.Audience.EVERYONE
    assert event.kind == Event.Kind.COMPETITION and event.sessions.count() == 1
