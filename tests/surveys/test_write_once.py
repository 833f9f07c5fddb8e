"""Finding 4 of issue 7: opening a survey year and the first answer are written once however often sent."""

from __future__ import annotations

from django.urls import reverse

from tests.surveys.test_views import FORM, answer_url
from tests.write_once_support import ALREADY, messages_of, token_of
from yunghap.surveys.models import Survey, SurveyResponse


def test_first_answer_submitted_three_times_is_one_submitted_answer(client, world, officer):
    client.force_login(officer)
    url = answer_url(world, world.seoul_a)
    token = token_of(client.get(url))
    responses = [client.post(url, {**FORM, "action": "submit", "form_token": token}) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert SurveyResponse.objects.get(group=world.seoul_a).is_submitted
    for repeat in responses[1:]:
        assert repeat["Location"] == url and ALREADY in messages_of(repeat)
    # Without the token the repeat was "이미 제출한 응답입니다" with the answer lost from view.
    assert "이미 제출한 응답입니다" not in responses[1].content.decode()


def test_opening_a_year_twice_quickly(client, world, central):
    client.force_login(central)
    token = token_of(client.get(reverse("surveys:index")))
    data = {"year": world.year - 3, "form_token": token}
    first, second = client.post(reverse("surveys:open"), data), client.post(reverse("surveys:open"), data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"] == reverse("surveys:status", args=[world.year - 3])
    assert ALREADY in messages_of(second)
    assert Survey.objects.filter(year=world.year - 3).count() == 1
