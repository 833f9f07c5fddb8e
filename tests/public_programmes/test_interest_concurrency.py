""" "관심 있음" under concurrency (PostgreSQL, two connections): two users of one firm marking interest in
one topic at once make one interest and one audit row; two consents of one firm at once make one listing."""

from __future__ import annotations

import pytest
from django.db import connection

from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.factories import make_topic
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.network import directory_services
from yunghap.network.models import Firm, FirmListing
from yunghap.programmes import discovery
from yunghap.programmes.models import Topic, TopicInterest

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


def test_two_users_of_one_firm_marking_at_once_make_one_interest(network):  # noqa: F811
    topic = make_topic(code="t-race", status=Topic.Status.LEADING)
    colleague = make_user("firmuser-2", Role.FIRM_USER, firm=network.member_firm)

    def mark(user):
        return lambda: discovery.set_interest(
            Topic.objects.get(pk=topic.pk),
            Firm.objects.get(pk=network.member_firm.pk),
            actor=user,
            interested=True,
        )

    results = at_once(mark(network.users["firm"]), mark(colleague))
    assert results == [True, True], results
    assert TopicInterest.objects.filter(topic=topic, firm=network.member_firm).count() == 1
    assert AuditLog.objects.filter(action="topic.interest").count() == 1


def test_two_consents_of_one_firm_at_once_make_one_listing(network):  # noqa: F811
    colleague = make_user("firmuser-3", Role.FIRM_USER, firm=network.member_firm)

    def consent(user):
        return lambda: directory_services.set_listing_consent(
            Firm.objects.get(pk=network.member_firm.pk), actor=user, consented=True
        )

    results = at_once(consent(network.users["firm"]), consent(colleague))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert FirmListing.objects.filter(firm=network.member_firm, consented=True).count() == 1
    assert AuditLog.objects.filter(action="firm.listing_consent").count() == 1
