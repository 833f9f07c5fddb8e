"""Success stories under concurrency (PostgreSQL, two connections): two staff starting a story of one
agreement make one story; two users of one firm consenting at once make one consent; two publications
publish once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.chain_factories import make_funded
from tests.stories.factories import make_story
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.stories import services
from yunghap.stories.models import StoryConsent, StoryState, SuccessStory

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def test_two_starts_of_one_agreement_make_one_story(network):  # noqa: F811
    funded = make_funded(network)
    other = make_user("central-2", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: services.start_story(funded.agreement, actor=network.users["central"]),
        lambda: services.start_story(funded.agreement, actor=other),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].messages == ["이 협약의 성공사례가 이미 있습니다."]
    assert SuccessStory.objects.filter(agreement=funded.agreement).count() == 1


def test_two_users_of_one_firm_consenting_at_once_make_one_consent(network):  # noqa: F811
    story = make_story(network, state=StoryState.AWAITING_CONSENT)
    colleague = make_user("firmuser-2", Role.FIRM_USER, firm=network.member_firm)
    results = at_once(
        lambda: services.move_story(
            SuccessStory.objects.get(pk=story.pk), "consent", actor=network.users["firm"]
        ),
        lambda: services.move_story(SuccessStory.objects.get(pk=story.pk), "consent", actor=colleague),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert StoryConsent.objects.filter(story=story).count() == 1


def test_two_publications_at_once_publish_once(network):  # noqa: F811
    story = make_story(network, state=StoryState.AWAITING_CONSENT, consents=3)
    other = make_user("central-3", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: services.move_story(
            SuccessStory.objects.get(pk=story.pk), "publish", actor=network.users["central"]
        ),
        lambda: services.move_story(SuccessStory.objects.get(pk=story.pk), "publish", actor=other),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and refused[0].code == "state"
    assert AuditLog.objects.filter(action="stories.story.publish", object_id=str(story.pk)).count() == 1
