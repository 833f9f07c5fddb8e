"""Ranking with the calls' scoring function (ties), awards recorded once and frozen, stories from winners."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.competitions.helpers import close_entries, score, submitted_group_entry
from tests.programmes.chain_factories import make_funded
from tests.programmes.factories import make_reviewer
from yunghap.competitions import ranking, services
from yunghap.competitions.models import Award, Entry, FrozenAward, ReviewerAssignment
from yunghap.programmes.scoring import application_score
from yunghap.stories.models import SuccessStory

pytestmark = pytest.mark.django_db

T0 = timezone.make_aware(datetime.datetime(2026, 5, 1, 10, 0))


def test_sheet_total_is_weighted_and_rounded_half_up():
    # 7.5/10 × 60 + 3.3/9 × 40 = 45 + 14.666… → 59.67
    assert ranking.sheet_total([(Decimal("7.5"), 60, 10), (Decimal("3.3"), 40, 9)]) == Decimal("59.67")
    # 0.5/8 × 1 = 0.0625 → 0.06; 1/8 × 1 = 0.125 → 0.13 (half up)
    assert ranking.sheet_total([(Decimal("1"), 1, 8)]) == Decimal("0.13")


def test_rank_uses_the_calls_score_and_breaks_ties_by_submission():
    five = (Decimal(100), Decimal(80), Decimal(80), Decimal(80), Decimal(0))  # trimmed: 80
    rows = [
        ranking.Row(1, (Decimal(70), Decimal(71)), T0),
        ranking.Row(2, five, T0 + datetime.timedelta(hours=2)),
        ranking.Row(3, (Decimal(80), Decimal(80)), T0 + datetime.timedelta(hours=1)),  # ties 2, earlier
        ranking.Row(4, (Decimal(90),), T0),  # one sheet: not ranked
        ranking.Row(5, (), T0),
    ]
    result = ranking.rank(reversed(rows), sheets_required=2)
    assert [(r.entry, r.rank, r.score, r.tie) for r in result] == [
        (3, 1, Decimal("80.00"), True),
        (2, 2, Decimal("80.00"), True),
        (1, 3, Decimal("70.50"), False),
        (4, None, Decimal("90.00"), False),
        (5, None, None, False),
    ]
    assert result[1].score == application_score(five)
    # Mean 70.5 exactly, and a half-up case through the same function: (70 + 70.01) / 2 = 70.005 → 70.01.
    assert ranking.rank([ranking.Row(9, (Decimal(70), Decimal("70.01")), T0)], sheets_required=1)[
        0
    ].score == Decimal("70.01")


@pytest.fixture
def judged(comp):
    """Three submitted entries, each scored by two reviewers; the window closed."""
    competition = comp.competition
    competition.reviews_per_entry = 2
    competition.save()
    second = make_reviewer()
    a = submitted_group_entry(competition, group=comp.net.seoul_group, title="A", at=T0)
    b = submitted_group_entry(competition, title="B", at=T0 + datetime.timedelta(hours=1))
    c = submitted_group_entry(competition, title="C", at=T0 + datetime.timedelta(hours=2))
    points = {a: ([8, 8], [6, 6]), b: ([9, 9], [9, 9]), c: ([7, 7], [7, 7])}  # A 70, B 90, C 70
    for entry, (first_points, second_points) in points.items():
        score(ReviewerAssignment.objects.create(entry=entry, reviewer=comp.reviewer), first_points)
        score(ReviewerAssignment.objects.create(entry=entry, reviewer=second), second_points)
    close_entries(competition)
    return comp, a, b, c


def test_ranking_page_shows_the_ties(judged, client):
    comp, a, b, c = judged
    ranked = services.ranking_of(comp.competition)
    assert [(e.title, r.rank, r.score, r.tie) for r, e in ranked] == [
        ("B", 1, Decimal("90.00"), False),
        ("A", 2, Decimal("70.00"), True),
        ("C", 3, Decimal("70.00"), True),
    ]
    client.force_login(comp.users["seoul"])
    page = client.get(reverse("competitions:ranking", args=[comp.competition.event.code]))
    assert page.status_code == 200 and "동점" in page.content.decode()
    client.force_login(comp.users["officer"])
    assert client.get(reverse("competitions:ranking", args=[comp.competition.event.code])).status_code == 403


def test_awards_are_recorded_once_and_frozen(judged, client):
    comp, a, b, c = judged
    client.force_login(comp.users["seoul"])
    url = reverse("competitions:awards", args=[comp.competition.event.code])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "1위 대상: B (90.00점)" in text and "2위 최우수상: A (70.00점)" in text
    token = page.context["form"]["form_token"].value()
    assert client.post(url, {"form_token": token}).status_code == 302
    assert client.post(url, {"form_token": token}).status_code == 302  # a repeat does nothing
    awards = list(Award.objects.order_by("rank").values_list("rank", "prize_name", "entry__title", "score"))
    assert awards == [(1, "대상", "B", Decimal("90.00")), (2, "최우수상", "A", Decimal("70.00"))]
    with pytest.raises(ValidationError, match="수상은 이미 기록되었습니다"):
        services.record_awards(comp.competition, actor=comp.users["seoul"])
    award = Award.objects.get(rank=1)
    award.prize_name = "바꾼 상"
    with pytest.raises(FrozenAward):
        award.save()
    with pytest.raises(FrozenAward):
        award.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(competition=comp.competition, rank=1, prize_name="또", entry=c, score=1)
    assert Award.objects.get(rank=1).prize_name == "대상"
    # Nothing that would change the ranking is accepted any more.
    late = ReviewerAssignment.objects.create(entry=c, reviewer=make_reviewer())
    with pytest.raises(ValidationError, match="수상이 기록된 경진대회는 바꿀 수 없습니다"):
        score(late, [1, 1])
    with pytest.raises(ValidationError, match="수상이 기록된 뒤에는 철회할 수 없습니다"):
        services.withdraw_entry(a, actor=comp.users["officer"])
    public = client.get(reverse("competitions:detail", args=[comp.competition.event.code]))
    assert "바꾼 상" not in public.content.decode() and "대상" in public.content.decode()


def test_awards_wait_for_the_close_and_every_review(comp):
    entry = submitted_group_entry(comp.competition)
    with pytest.raises(ValidationError, match="출품 마감 뒤에 수상을 기록할 수 있습니다"):
        services.record_awards(comp.competition, actor=comp.users["seoul"])
    close_entries(comp.competition)
    with pytest.raises(ValidationError, match="평가를 마친 출품작이 없습니다"):
        services.record_awards(comp.competition, actor=comp.users["seoul"])
    score(ReviewerAssignment.objects.create(entry=entry, reviewer=comp.reviewer), [5, 5])
    submitted_group_entry(comp.competition)
    with pytest.raises(ValidationError, match="평가를 마치지 않은 출품작이 1건 있습니다"):
        services.record_awards(comp.competition, actor=comp.users["seoul"])
    with pytest.raises(PermissionDenied):
        services.record_awards(comp.competition, actor=comp.users["busan"])


def test_a_winning_consortium_entry_becomes_a_story(comp, client):
    funded = make_funded(comp.net)
    entry = Entry.objects.create(
        competition=comp.competition,
        consortium=funded.application.consortium,
        title="IoT 센서 하우징",
        summary="요약",
        status=Entry.Status.SUBMITTED,
        submitted_at=T0,
    )
    group_entry = submitted_group_entry(comp.competition, title="교류회 출품", at=T0)
    reviewer = make_reviewer()
    score(ReviewerAssignment.objects.create(entry=entry, reviewer=reviewer), [9, 9])
    score(ReviewerAssignment.objects.create(entry=group_entry, reviewer=reviewer), [5, 5])
    assert services.story_error(entry) == "수상한 출품작만 성공사례로 등록할 수 있습니다."
    close_entries(comp.competition)
    services.record_awards(comp.competition, actor=comp.users["seoul"])
    assert services.story_error(group_entry) == ""  # a group's story tells its award (the next test)
    client.force_login(comp.users["seoul"])
    assert client.get(reverse("competitions:make_story", args=[entry.pk])).status_code == 403
    client.force_login(comp.users["central"])
    url = reverse("competitions:make_story", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200 and "성공사례 초안을 만듭니다" in page.content.decode()
    response = client.post(url, {"form_token": page.context["form"]["form_token"].value()})
    story = SuccessStory.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("stories:detail", args=[story.pk])
    entry.refresh_from_db()
    assert entry.story == story and story.agreement == funded.agreement
    assert services.story_error(entry) == "이 출품작은 이미 성공사례로 등록되었습니다."


def test_a_winning_group_entry_becomes_a_story_its_member_firms_consent_to(comp, client):
    """A group's award becomes a story (issue 11 §5) with the stories' own workflow: the group's current
    member firms read it and each consents before central staff can publish it."""
    from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user
    from yunghap.accounts.models import Role
    from yunghap.stories import services as stories

    group = GroupFactory(federation=comp.competition.event.organiser)
    firms = [FirmFactory(), FirmFactory()]
    for firm in firms:
        MembershipFactory(group=group, firm=firm)
    entry = submitted_group_entry(comp.competition, group=group, title="교류회 공동 브랜드", at=T0)
    score(ReviewerAssignment.objects.create(entry=entry, reviewer=make_reviewer()), [9, 9])
    close_entries(comp.competition)
    services.record_awards(comp.competition, actor=comp.users["seoul"])
    client.force_login(comp.users["central"])
    url = reverse("competitions:make_story", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert client.post(url, {"form_token": page.context["form"]["form_token"].value()}).status_code == 302
    story = SuccessStory.objects.get()
    entry.refresh_from_db()
    assert entry.story == story and story.group == group and story.agreement is None
    assert story.region == group.federation and sorted(story.member_firm_ids) == sorted(f.pk for f in firms)
    prize = Award.objects.get(entry=entry).prize_name
    assert story.facts["achievement"]["prize"] == prize and prize in story.title
    detail = client.get(reverse("stories:detail", args=[story.pk])).content.decode()
    assert group.name in detail and comp.competition.event.title in detail
    # A member firm's user sees it (to consent); a firm outside the group does not.
    member_user = make_user("story-member", role=Role.FIRM_USER, firm=firms[0])
    outsider = make_user("story-outsider", role=Role.FIRM_USER, firm=FirmFactory())
    assert SuccessStory.objects.visible_to(member_user).filter(pk=story.pk).exists()
    assert not SuccessStory.objects.visible_to(outsider).exists()
    stories.move_story(story, "request_consent", actor=comp.users["central"])
    assert stories.missing_consents(story) == 2
    stories.move_story(story, "consent", actor=member_user)
    assert stories.missing_consents(story) == 1
    with pytest.raises(ValidationError):
        stories.move_story(story, "publish", actor=comp.users["central"])
    stories.move_story(story, "consent", actor=make_user("story-member2", role=Role.FIRM_USER, firm=firms[1]))
    stories.move_story(story, "publish", actor=comp.users["central"])
    assert SuccessStory.objects.published().filter(pk=story.pk).exists()
    client.logout()
    public = client.get(reverse("stories:public_detail", args=[story.pk]))
    assert public.status_code == 200 and group.name in public.content.decode()
    assert group.name in client.get(reverse("stories:public_list")).content.decode()
