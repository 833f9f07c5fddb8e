"""Setting up a competition on a competition event: criteria and prizes as rows, weights adding up to 100,
one-time token on create, version on edit, criteria frozen once scoring has begun."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.competitions.helpers import score, submitted_group_entry
from tests.events.factories import make_event
from tests.factories import region
from yunghap.competitions.models import Competition, ReviewerAssignment
from yunghap.events.models import Event

pytestmark = pytest.mark.django_db


def _data(**overrides):
    today = timezone.localdate()
    data = {
        "entry_opens": f"{today:%Y-%m-%d}",
        "entry_closes": f"{today + datetime.timedelta(days=30):%Y-%m-%d}",
        "reviews_per_entry": "3",
        "criteria": "기술성, 50, 10\n사업성, 30, 10\n협력 효과, 20, 5",
        "prizes": "1, 대상\n2, 최우수상",
    }
    return {**data, **overrides}


def test_staff_set_up_a_competition_once(comp, client):
    event = make_event(code="comp-new", kind=Event.Kind.COMPETITION, organiser=region("seoul"))
    client.force_login(comp.users["seoul"])
    url = reverse("competitions:setup", args=[event.code])
    page = client.get(url)
    assert page.status_code == 200
    data = _data(form_token=page.context["form"]["form_token"].value())
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    competition = Competition.objects.get(event=event)
    assert [(c.name, c.weight, c.max_points) for c in competition.criteria.all()] == [
        ("기술성", 50, 10),
        ("사업성", 30, 10),
        ("협력 효과", 20, 5),
    ]
    assert [(p.rank, p.name) for p in competition.prizes.all()] == [(1, "대상"), (2, "최우수상")]
    public = client.get(reverse("competitions:detail", args=[event.code]))
    assert "협력 효과" in public.content.decode()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("criteria", "기술성, 50, 10\n사업성, 30, 10", "가중치의 합은 100이어야 합니다(지금 80)."),
        ("criteria", "기술성, 50\n", "1번째 줄: '항목명, 가중치, 만점'으로 적어 주세요."),
        ("criteria", "기술성, ²0, 10", "1번째 줄: 1부터 100까지의 정수를 적어 주세요."),
        ("criteria", "기술성, 50, 10\n기술성, 50, 10", "평가 항목 이름이 겹칩니다."),
        ("prizes", "1, 대상\n3, 우수상", "시상 순위는 1위부터 빠짐없이 차례로 입력해 주세요."),
    ],
)
def test_setup_refuses_bad_rows_in_korean(comp, client, field, value, message):
    event = make_event(code="comp-bad", kind=Event.Kind.COMPETITION, organiser=region("seoul"))
    client.force_login(comp.users["seoul"])
    response = client.post(reverse("competitions:setup", args=[event.code]), _data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Competition.objects.filter(event=event).exists()


def test_only_a_competition_event_run_by_the_user(comp, client):
    seminar = make_event(code="seminar-1", organiser=region("seoul"))
    client.force_login(comp.users["seoul"])
    assert client.get(reverse("competitions:setup", args=[seminar.code])).status_code == 404
    client.force_login(comp.users["busan"])
    assert client.get(reverse("competitions:setup", args=[comp.competition.event.code])).status_code == 403


def test_criteria_are_frozen_once_scoring_began(comp, client):
    competition = comp.competition
    client.force_login(comp.users["seoul"])
    url = reverse("competitions:setup", args=[competition.event.code])
    entry = submitted_group_entry(competition)
    score(ReviewerAssignment.objects.create(entry=entry, reviewer=comp.reviewer), [5, 5])
    response = client.post(url, _data(version=competition.version))
    assert response.status_code == 200
    assert response.context["form"].errors["criteria"] == [
        "평가가 시작된 뒤에는 평가 항목을 바꿀 수 없습니다."
    ]
    # The same criteria with a new window are fine; a stale version is a conflict.
    same = _data(
        criteria="기술성, 60, 10\n협력성, 40, 10", reviews_per_entry="2", version=competition.version
    )
    assert client.post(url, same).status_code == 302
    competition.refresh_from_db()
    assert competition.reviews_per_entry == 2
    stale = client.post(url, {**same, "reviews_per_entry": "4", "version": competition.version - 1})
    assert stale.status_code == 200 and "conflict" in stale.context
