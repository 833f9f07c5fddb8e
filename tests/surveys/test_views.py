from __future__ import annotations

import pytest
from django.urls import reverse

from yunghap.surveys.models import Survey, SurveyResponse

FORM = {
    "members": "12",
    "meetings": "11",
    "attendance_rate": "85.5",
    "purpose_info": "on",
    "rnd_results": "0",
    "trades_count": "0",
    "trades_amount_krw": "0",
    "joint_projects": "0",
    "difficulties": "",
    "support_needs": "",
}


def answer_url(world, group):
    return reverse("surveys:group_answer", args=[world.year, group.code])


def test_officer_answers_own_group_and_not_another(client, world, officer):
    client.force_login(officer)
    page = client.get(answer_url(world, world.seoul_a))
    assert page.status_code == 200
    assert 'name="members"' in page.content.decode()
    assert client.post(answer_url(world, world.seoul_a), {**FORM, "action": "submit"}).status_code == 302
    assert SurveyResponse.objects.get(group=world.seoul_a).is_submitted
    # Another group of the same region: outside the officer's scope, so it does not exist for them.
    assert client.get(answer_url(world, world.seoul_b)).status_code == 404
    assert client.post(answer_url(world, world.seoul_b), FORM).status_code == 404
    assert client.get(reverse("surveys:answer", args=[world.year])).url == answer_url(world, world.seoul_a)


def test_form_errors_are_korean_and_nothing_is_saved(client, world, officer):
    client.force_login(officer)
    page = client.post(answer_url(world, world.seoul_a), {**FORM, "attendance_rate": "130", "action": "save"})
    assert page.status_code == 200
    assert "참석률은 0~100 사이여야 합니다." in page.content.decode()
    assert not SurveyResponse.objects.exists()


def test_regional_staff_see_their_region_only_and_cannot_answer(client, world, seoul_staff, officer):
    client.force_login(seoul_staff)
    page = client.get(reverse("surveys:status", args=[world.year]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "서울가교류회" in text and "서울나교류회" in text and "부산가교류회" not in text
    assert client.get(answer_url(world, world.seoul_a)).status_code == 200  # read-only
    assert client.post(answer_url(world, world.seoul_a), FORM).status_code == 403
    assert client.get(answer_url(world, world.busan)).status_code == 404
    assert client.post(reverse("surveys:remind", args=[world.year]), {"region": "busan"}).status_code == 403
    # Without the confirmation page's token nothing is sent.
    assert client.post(reverse("surveys:remind", args=[world.year]), {"region": "seoul"}).status_code == 400


def test_only_central_staff_open_a_year(client, world, central, seoul_staff):
    client.force_login(seoul_staff)
    assert client.post(reverse("surveys:open"), {"year": world.year - 3}).status_code == 403
    client.force_login(central)
    response = client.post(reverse("surveys:open"), {"year": world.year - 3})
    assert response.status_code == 302
    assert Survey.objects.filter(year=world.year - 3, status="open").exists()
    again = client.post(reverse("surveys:open"), {"year": world.year - 3})
    assert again.status_code == 200 and "이미 진행 중" in again.content.decode()


@pytest.mark.parametrize("who", ["officer", "seoul_staff", "central"])
def test_pages_query_counts(client, world, request, django_assert_max_num_queries, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("surveys:index")).status_code == 200
    if who != "officer":
        with django_assert_max_num_queries(10):
            assert client.get(reverse("surveys:status", args=[world.year])).status_code == 200
    else:
        with django_assert_max_num_queries(18):
            assert client.get(answer_url(world, world.seoul_a)).status_code == 200
