"""The success stories' pages: staff start one from a closed consortium, members consent in the interface,
publishing without every consent is refused; the public view shows published stories only, no personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.stories.factories import make_story
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.onetime import FIELD
from yunghap.network.models import Firm
from yunghap.stories.models import StoryConsent, StoryState, SuccessStory

pytestmark = pytest.mark.django_db


def _post(client, url, **data):
    page = client.get(url)
    token = (
        page.context["form"][FIELD].value()
        if "form" in page.context and FIELD in page.context["form"].fields
        else ""
    )
    return client.post(url, {FIELD: token, **data})


def test_staff_start_a_story_and_the_firms_consent_before_it_is_published(client, network):  # noqa: F811
    from tests.programmes.chain_factories import make_funded

    funded = make_funded(network)
    client.force_login(network.users["central"])
    listing = client.get(reverse("stories:list"))
    assert listing.status_code == 200
    assert funded.application.ref in listing.content.decode()
    start = reverse("stories:start", args=[funded.agreement.pk])
    assert "참여기업 모두가 동의해야 게시할 수 있습니다." in client.get(start).content.decode()
    response = _post(client, start)
    story = SuccessStory.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("stories:detail", args=[story.pk])
    assert _post(client, reverse("stories:act", args=[story.pk, "request_consent"])).status_code == 302
    story.refresh_from_db()
    assert story.state == StoryState.AWAITING_CONSENT

    # Publishing now is refused with how many firms are missing.
    publish = reverse("stories:act", args=[story.pk, "publish"])
    refused = client.get(publish)
    assert refused.status_code == 200
    assert "아직 동의하지 않은 기업이 3곳 있습니다." in refused.content.decode()
    assert client.post(publish, {FIELD: "x" * 32}).status_code == 200
    story.refresh_from_db()
    assert story.state == StoryState.AWAITING_CONSENT

    # Each member firm's user consents in the interface.
    users = [
        network.users["firm"],
        make_user("chair", Role.FIRM_USER, firm=network.chair_firm),
        make_user("guro", Role.FIRM_USER, firm=Firm.objects.get(name="구로전자")),
    ]
    for user in users:
        client.force_login(user)
        detail = client.get(reverse("stories:detail", args=[story.pk]))
        assert detail.status_code == 200 and 'data-action="consent"' in detail.content.decode()
        assert _post(client, reverse("stories:act", args=[story.pk, "consent"])).status_code == 302
    assert StoryConsent.objects.filter(story=story).count() == 3

    client.force_login(network.users["central"])
    assert _post(client, publish).status_code == 302
    story.refresh_from_db()
    assert story.state == StoryState.PUBLISHED and story.published_at


def test_a_firm_user_may_consent_but_not_publish_and_strangers_get_404(client, network):  # noqa: F811
    story = make_story(network, state=StoryState.AWAITING_CONSENT, consents=3)
    client.force_login(network.users["firm"])
    assert client.get(reverse("stories:act", args=[story.pk, "publish"])).status_code == 403
    assert client.get(reverse("stories:edit", args=[story.pk])).status_code == 403
    client.force_login(network.users["busan"])
    assert client.get(reverse("stories:detail", args=[story.pk])).status_code == 404
    client.force_login(network.users["seoul"])
    assert client.get(reverse("stories:detail", args=[story.pk])).status_code == 200
    assert client.get(reverse("stories:act", args=[story.pk, "withdraw"])).status_code == 403
    client.force_login(network.users["central"])
    assert client.get(reverse("stories:act", args=[story.pk, "nope"])).status_code == 404


def test_staff_edit_the_text_with_a_version_check(client, network):  # noqa: F811
    story = make_story(network)
    client.force_login(network.users["central"])
    url = reverse("stories:edit", args=[story.pk])
    data = {
        "title": "교류회에서 시작된 센서 하우징",
        "summary": "요약",
        "body": "새 본문",
        "version": story.version,
    }
    assert client.post(url, data).status_code == 302
    story.refresh_from_db()
    assert story.title == "교류회에서 시작된 센서 하우징" and story.version == 2
    stale = client.post(url, {**data, "body": "다른 본문", "version": 1})
    assert stale.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in stale.content.decode()
    assert client.post(url, {**data, "body": ""}).status_code == 200  # required: re-shown, nothing lost
    story.state = StoryState.AWAITING_CONSENT
    story.save(update_fields=["state"])
    assert client.get(url).status_code == 302


def test_the_public_view_shows_published_stories_only_and_no_personal_data(client, network):  # noqa: F811
    draft = make_story(network)
    draft.title = "아직 작성 중인 사례"
    draft.save(update_fields=["title"])
    from tests.programmes.chain_factories import make_funded

    published = make_story(network, state=StoryState.PUBLISHED, funded=make_funded(network), consents=3)
    page = client.get(reverse("stories:public_list"))
    assert page.status_code == 200
    body = page.content.decode()
    assert published.title in body and "아직 작성 중인 사례" not in body
    detail = client.get(reverse("stories:public_detail", args=[published.pk]))
    assert detail.status_code == 200
    text = detail.content.decode()
    assert "새영테크" in text and "15,000,000원" in text
    assert "김혜민" not in text and "010-6278-1954" not in text  # the chair firm's representative
    assert client.get(reverse("stories:public_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("stories:public_list")).status_code == 405


def test_search_by_industry_pair_engine_type_and_region(client, network):  # noqa: F811
    story = make_story(network, state=StoryState.PUBLISHED, consents=3)
    url = reverse("stories:public_list")

    def found(**query):
        page = client.get(url, query)
        assert page.status_code == 200, page.content.decode()[:500]
        return [s.pk for s in page.context["stories"]]

    assert found(industry_a="26", industry_b="30") == [story.pk]
    assert found(industry_a="26", industry_b="29") == []
    assert found(engine="NGE09-09", type="newproduct", region="seoul") == [story.pk]
    assert found(type="resource") == []
    assert found(region="busan") == []
    bad = client.get(url, {"engine": "nope", "industry_a": "2x"})
    assert bad.status_code == 400
    assert "알 수 없는 신성장동력입니다: nope" in bad.content.decode()
    assert "알 수 없는 업종입니다: 2x" in bad.content.decode()


def test_the_public_list_costs_a_fixed_number_of_queries(client, network, django_assert_max_num_queries):  # noqa: F811
    from tests.programmes.chain_factories import make_funded

    make_story(network, state=StoryState.PUBLISHED, consents=3)
    with django_assert_max_num_queries(8) as first:
        client.get(reverse("stories:public_list"))
    make_story(network, state=StoryState.PUBLISHED, funded=make_funded(network), consents=3)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(reverse("stories:public_list"))


def test_the_public_list_in_english(client, network):  # noqa: F811
    from tests.test_i18n import switch_to_english

    switch_to_english(client)
    body = client.get(reverse("stories:public_list")).content.decode()
    assert "<h1>Success stories</h1>" in body and "Find success stories" in body
