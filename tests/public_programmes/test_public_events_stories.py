"""Events and success stories already have public pages (issue 12 §4): a visitor reads them without signing
in, and they show no person's name, phone or e-mail (nor firm names a visitor may not see)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events_pages.conftest import open_event
from tests.stories.factories import make_story
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.events import registration
from yunghap.events.models import Event
from yunghap.stories.models import StoryState

pytestmark = pytest.mark.django_db


def test_a_visitor_reads_an_event_without_the_registrants(client, network):  # noqa: F811
    event = open_event("open-forum", kind=Event.Kind.NATIONAL)
    registration.register(event, name="등록한사람", email="registrant@example.com", firm=network.chair_firm)
    for url in (reverse("events:calendar"), reverse("events:event_detail", kwargs={"code": event.code})):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        for secret in ("등록한사람", "registrant@example.com", "광빛차체", "김혜민", "010-6278-1954"):
            assert secret not in html, (url, secret)


def test_a_visitor_reads_a_published_story_without_personal_data(client, network):  # noqa: F811
    story = make_story(network, state=StoryState.PUBLISHED, consents=3)
    story.published_at = timezone.now()
    story.save(update_fields=["published_at"])
    for url in (reverse("stories:public_list"), reverse("stories:public_detail", kwargs={"pk": story.pk})):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert story.title in html
        for secret in ("김혜민", "010-6278-1954", network.chair_firm.brn_display, "홍길동", "010-1234-5678"):
            assert secret not in html, (url, secret)
