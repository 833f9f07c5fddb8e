"""Finding 9 of issue 7: matching reasons quote only what their reader may see.

Reasons quote only approved postings the reader may see; pending postings are never candidates for other
firms; widening a posting's audience sends it back to review.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, MembershipFactory, industry
from yunghap.introductions.models import Introduction
from yunghap.matching import posting_services
from yunghap.matching.models import Posting
from yunghap.matching.recommend import PARTIES, recommend_for_need

SECRET = "극비 사출 금형 프로젝트"
LATER = timezone.localdate() + datetime.timedelta(days=60)


@pytest.fixture
def offer(world, django_capture_on_commit_callbacks):
    """make(firm, title, **extra): an analysed offer of the firm."""

    def make(firm, title, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            posting = posting_services.create_posting(
                firm,
                actor=None,
                kind=Posting.Kind.OFFER,
                title=title,
                description="플라스틱 사출 금형을 설계·제작합니다.",
                keywords=["금형", "사출"],
                expires_on=LATER,
                **extra,
            )
        posting.refresh_from_db()
        return posting

    return make


def _introduce(client, world):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("introductions:create"), {"need": world.need.pk, "partner": world.partner.pk}
    )
    assert response.status_code == 302
    return Introduction.objects.get()


def test_a_pending_coordinators_only_offer_is_never_quoted_to_the_firms(client, world, offer):
    offer(world.partner, SECRET, visibility=Posting.Visibility.COORDINATORS)  # pending review
    intro = _introduce(client, world)
    assert intro.reasons and not any(SECRET in reason for reason in intro.reason_texts)
    for user in (world.seeker_user, world.partner_user, world.coordinator):
        client.force_login(user)
        page = client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
        assert SECRET not in page


def test_an_approved_but_unshared_offer_is_named_generically_in_an_introduction(client, world, offer):
    offer(
        world.partner,
        SECRET,
        visibility=Posting.Visibility.COORDINATORS,
        review_status=Posting.ReviewStatus.APPROVED,
    )
    [rec] = [r for r in recommend_for_need(world.need, viewer=PARTIES) if r.firm == world.partner]
    assert not any(SECRET in reason for reason in rec.reasons)
    intro = _introduce(client, world)
    assert not any(SECRET in reason for reason in intro.reason_texts)
    # Staff at the command line (no viewer) see every approved posting named.
    [rec] = [r for r in recommend_for_need(world.need) if r.firm == world.partner]
    assert any(SECRET in reason for reason in rec.reasons)


def test_pending_postings_are_never_candidates_for_other_firms(world, offer):
    newcomer = FirmFactory(name="(주)새금형", industry=industry("29"))
    MembershipFactory(group=world.other_group, firm=newcomer)
    pending = offer(newcomer, "대형 사출 금형 제작")
    firms = {r.firm for r in recommend_for_need(world.need)}
    assert newcomer not in firms and world.partner in firms
    posting_services.approve_posting(pending, actor=None)
    assert newcomer in {r.firm for r in recommend_for_need(world.need)}


def test_a_pending_need_is_not_shown_to_the_partner(client, world):
    Posting.objects.filter(pk=world.need.pk).update(review_status=Posting.ReviewStatus.PENDING)
    world.need.refresh_from_db()
    intro = _introduce(client, world)
    assert not any(world.need.title in reason for reason in intro.reason_texts)
    client.force_login(world.partner_user)
    page = client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()
    assert world.need.title not in page and "비공개 기술 수요" in page
    listing = client.get(reverse("introductions:list")).content.decode()
    assert world.need.title not in listing
    client.force_login(world.seeker_user)  # their own need
    assert world.need.title in client.get(reverse("introductions:detail", args=[intro.pk])).content.decode()


@pytest.mark.parametrize(
    ("before", "after", "status"),
    [
        (Posting.Visibility.COORDINATORS, Posting.Visibility.NETWORK, Posting.ReviewStatus.PENDING),
        (Posting.Visibility.NETWORK, Posting.Visibility.PUBLIC, Posting.ReviewStatus.PENDING),
        (Posting.Visibility.PUBLIC, Posting.Visibility.NETWORK, Posting.ReviewStatus.APPROVED),
        (Posting.Visibility.NETWORK, Posting.Visibility.COORDINATORS, Posting.ReviewStatus.APPROVED),
    ],
)
def test_widening_the_audience_sends_a_posting_back_to_review(world, offer, before, after, status):
    posting = offer(
        world.partner, "정밀 금형", visibility=before, review_status=Posting.ReviewStatus.APPROVED
    )
    posting_services.update_posting(posting, actor=None, visibility=after)
    posting.refresh_from_db()
    assert (posting.visibility, posting.review_status) == (after, status)
