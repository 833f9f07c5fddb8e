"""Reviewers from the programmes' pool, judged for conflicts by the calls' rule: a conflicted reviewer is never
assigned and gets 404 on the entry; the automatic assignment balances loads; every criterion needs a comment."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.competitions.helpers import score, submitted_group_entry
from tests.programmes.factories import make_reviewer
from yunghap.competitions import conflicts, services
from yunghap.competitions.models import Entry, ReviewerAssignment, ScoreSheet
from yunghap.network.models import Firm
from yunghap.programmes import conflicts as call_conflicts
from yunghap.programmes.models import DeclaredConflict

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(comp):
    group_entry = submitted_group_entry(comp.competition, group=comp.net.seoul_group, title="교류회 출품")
    consortium_entry = Entry.objects.create(
        competition=comp.competition,
        consortium=comp.consortium,
        title="협력체 출품",
        summary="요약",
        status=Entry.Status.SUBMITTED,
    )
    return group_entry, consortium_entry


def test_the_calls_rule_decides_every_code(comp, entries):
    group_entry, consortium_entry = entries
    chair = make_reviewer(affiliation=comp.net.chair_firm)  # a member of the Seoul group
    guro = make_reviewer(affiliation=Firm.objects.get(name="구로전자"))  # a partner of the consortium
    declared = make_reviewer()
    DeclaredConflict.objects.create(reviewer=declared, firm=comp.net.member_firm)
    free = comp.reviewer
    found = conflicts.conflict_map([chair, guro, declared, free], [group_entry, consortium_entry])
    assert found == {
        # 광빛차체 is in the Seoul group, with 새영테크 (who leads the consortium) …
        (chair.pk, group_entry.pk): [call_conflicts.AFFILIATION, call_conflicts.SAME_GROUP],
        # … and entered with its group: another entry of the same competition.
        (chair.pk, consortium_entry.pk): [call_conflicts.SAME_GROUP, call_conflicts.APPLICANT],
        (guro.pk, group_entry.pk): [call_conflicts.APPLICANT],
        (guro.pk, consortium_entry.pk): [call_conflicts.AFFILIATION],
        (declared.pk, group_entry.pk): [call_conflicts.DECLARED],
        (declared.pk, consortium_entry.pk): [call_conflicts.DECLARED],
    }


def test_a_firm_sharing_a_group_with_a_member_is_conflicted(comp, entries):
    from tests.factories import FirmFactory, MembershipFactory

    _group_entry, consortium_entry = entries
    mate = FirmFactory(name="같은교류회기업")
    # In the other Seoul group with 구로전자, a partner of the consortium.
    MembershipFactory(group=comp.net.seoul_other, firm=mate)
    reviewer = make_reviewer(affiliation=mate)
    found = conflicts.conflict_map([reviewer], [consortium_entry])
    assert found == {(reviewer.pk, consortium_entry.pk): [call_conflicts.SAME_GROUP]}


def test_an_affiliated_reviewer_cannot_be_assigned(comp, entries):
    group_entry, consortium_entry = entries
    guro = make_reviewer(affiliation=Firm.objects.get(name="구로전자"))
    with pytest.raises(ValidationError) as refused:
        services.assign_reviewer(consortium_entry, guro, actor=comp.users["seoul"])
    assert refused.value.message_dict == {"reviewer": ["이해충돌이 있어 배정할 수 없습니다(affiliation)."]}
    assert not ReviewerAssignment.objects.exists()
    item = services.assign_reviewer(group_entry, comp.reviewer, actor=comp.users["seoul"])
    assert item.method == ReviewerAssignment.Method.MANUAL


def test_a_conflicted_reviewer_gets_404_on_the_entry(comp, entries, client):
    group_entry, _consortium_entry = entries
    item = services.assign_reviewer(group_entry, comp.reviewer, actor=comp.users["seoul"])
    client.force_login(comp.users["reviewer"])
    assert client.get(reverse("competitions:entry_detail", args=[group_entry.pk])).status_code == 200
    assert client.get(reverse("competitions:score", args=[item.pk])).status_code == 200
    # A conflict declared after the assignment: the entry disappears for the reviewer.
    DeclaredConflict.objects.create(reviewer=comp.reviewer, firm=comp.net.chair_firm)
    assert client.get(reverse("competitions:entry_detail", args=[group_entry.pk])).status_code == 404
    assert client.get(reverse("competitions:score", args=[item.pk])).status_code == 404
    assert "교류회 출품" not in client.get(reverse("competitions:queue")).content.decode()
    with pytest.raises(Exception, match="배정받은 평가위원만"):
        score(item, [8, 7])


def test_manual_assignment_page_refuses_the_conflicted_in_korean(comp, entries, client):
    group_entry, _consortium_entry = entries
    chair = make_reviewer(affiliation=comp.net.chair_firm)
    client.force_login(comp.users["seoul"])
    url = reverse("competitions:reviewers", args=[comp.competition.event.code])
    response = client.post(url, {"entry": group_entry.pk, "reviewer": chair.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["reviewer"] == [
        "이해충돌이 있어 배정할 수 없습니다(affiliation, same_group)."
    ]
    assert not ReviewerAssignment.objects.exists()


def test_automatic_assignment_is_balanced_and_never_conflicted(comp):
    competition = comp.competition
    competition.reviews_per_entry = 2
    competition.save()
    entries = [submitted_group_entry(competition) for _ in range(4)]
    reviewers = [comp.reviewer, make_reviewer(), make_reviewer()]
    # The third reviewer declared a conflict with the firm of the first entry. (Working for it would make
    # them an interested party of every entry: that firm entered the competition.)
    DeclaredConflict.objects.create(reviewer=reviewers[2], firm=entries[0].group.memberships.get().firm)
    items = services.auto_assign(competition, actor=comp.users["seoul"])
    assert len(items) == 8
    pairs = {(i.entry_id, i.reviewer_id) for i in ReviewerAssignment.objects.all()}
    assert (entries[0].pk, reviewers[2].pk) not in pairs
    loads = sorted(ReviewerAssignment.objects.filter(reviewer=r).count() for r in reviewers)
    assert loads == [2, 3, 3]
    assert all(ReviewerAssignment.objects.filter(entry=e).count() == 2 for e in entries)
    from yunghap.core.models import Notification

    assert Notification.objects.filter(code="competitions.assigned").count() == 8
    # Nothing left to do: a second run adds nothing.
    assert services.auto_assign(competition, actor=comp.users["seoul"]) == []


def test_auto_assign_page_asks_first(comp, client):
    submitted_group_entry(comp.competition)
    client.force_login(comp.users["seoul"])
    url = reverse("competitions:auto_assign", args=[comp.competition.event.code])
    page = client.get(url)
    assert page.status_code == 200 and "1건 배정합니다" in page.content.decode()
    assert not ReviewerAssignment.objects.exists()
    token = page.context["form"]["form_token"].value()
    assert client.post(url, {"form_token": token}).status_code == 302
    assert client.post(url, {"form_token": token}).status_code == 302
    assert ReviewerAssignment.objects.count() == 1


def test_scores_need_a_comment_on_every_criterion(comp, entries, client):
    group_entry, _consortium_entry = entries
    item = services.assign_reviewer(group_entry, comp.reviewer, actor=comp.users["seoul"])
    tech, coop = comp.competition.criteria.all()
    with pytest.raises(ValidationError) as refused:
        services.submit_scores(
            item, actor=comp.users["reviewer"], scores={tech.pk: ("8", "좋음"), coop.pk: ("7", " ")}
        )
    assert refused.value.message_dict == {f"comment_{coop.pk}": ["항목마다 평가 의견을 적어 주세요."]}
    with pytest.raises(ValidationError) as too_high:
        services.submit_scores(
            item, actor=comp.users["reviewer"], scores={tech.pk: ("11", "좋음"), coop.pk: ("7", "보통")}
        )
    assert too_high.value.message_dict == {f"points_{tech.pk}": ["점수는 0점부터 10점까지입니다."]}
    assert not ScoreSheet.objects.exists()
    client.force_login(comp.users["reviewer"])
    url = reverse("competitions:score", args=[item.pk])
    page = client.post(url, {f"points_{tech.pk}": "8", f"comment_{tech.pk}": "", f"points_{coop.pk}": "7"})
    assert page.status_code == 200 and not ScoreSheet.objects.exists()
    assert f"comment_{tech.pk}" in page.context["form"].errors
    done = client.post(
        url,
        {
            f"points_{tech.pk}": "8",
            f"comment_{tech.pk}": "기술 우수",
            f"points_{coop.pk}": "7",
            f"comment_{coop.pk}": "협력 양호",
        },
    )
    assert done.status_code == 302
    sheet = ScoreSheet.objects.get()
    # 8/10 × 60 + 7/10 × 40
    assert sheet.total == Decimal("76.00")
    assert sorted(sheet.scores.values_list("comment", flat=True)) == ["기술 우수", "협력 양호"]
    with pytest.raises(ValidationError, match="이미 평가를 제출했습니다"):
        score(item, [9, 9])
