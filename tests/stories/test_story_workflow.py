"""The success story's state machine as data (stories.workflow.MOVES): every action × state × kind of
actor, allowed or refused, through the one service that moves stories."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import make_user
from tests.stories.factories import make_story
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.stories import services
from yunghap.stories.models import StoryConsent, StoryState
from yunghap.stories.workflow import MOVES

pytestmark = pytest.mark.django_db

# Who is who to the story of 새영테크's consortium (새영테크, 광빛차체, 구로전자).
ACTORS = ("central", "member", "seoul", "outsider")
EXPECTED = {
    # action: {state allowed in: who may}
    "request_consent": ({"draft"}, {"central"}),
    "consent": ({"awaiting_consent"}, {"member"}),
    "revoke_consent": ({"awaiting_consent"}, {"member"}),
    "revise": ({"awaiting_consent"}, {"central"}),
    "publish": ({"awaiting_consent"}, {"central"}),
    "withdraw": ({"draft", "awaiting_consent", "published"}, {"central"}),
}


def test_the_table_is_the_expected_one():
    assert {a: (set(m.sources), set(m.who)) for a, m in MOVES.items() if a != "edit"} == EXPECTED
    assert set(MOVES["edit"].sources) == {"draft"} and set(MOVES["edit"].who) == {"central"}
    assert {m.target for m in MOVES.values()} == {None, "awaiting_consent", "draft", "published", "withdrawn"}


@pytest.fixture
def actors(network):  # noqa: F811
    return {
        "central": network.users["central"],
        "member": network.users["firm"],
        "seoul": network.users["seoul"],
        "outsider": make_user("busanfirm", Role.FIRM_USER, firm=network.busan_firm),
    }


@pytest.mark.parametrize("action", sorted(EXPECTED))
@pytest.mark.parametrize("state", [s.value for s in StoryState])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_move(network, actors, action, state, actor):  # noqa: F811
    # Publishing needs every consent: the story has them all, so only the table decides here.
    story = make_story(network, state=state, consents=3)
    sources, who = EXPECTED[action]
    before = AuditLog.objects.filter(action=f"stories.story.{action}").count()
    if actor not in who:
        with pytest.raises(PermissionDenied):
            services.move_story(story, action, actor=actors[actor])
        return
    if state not in sources:
        with pytest.raises(ValidationError) as refused:
            services.move_story(story, action, actor=actors[actor])
        assert refused.value.code == "state"
        story.refresh_from_db()
        assert story.state == state
        return
    moved = services.move_story(story, action, actor=actors[actor])
    target = MOVES[action].target
    assert moved.state == (target or state)
    assert AuditLog.objects.filter(action=f"stories.story.{action}").count() == before + 1


def test_publishing_without_every_consent_is_refused_naming_how_many_are_missing(network):  # noqa: F811
    story = make_story(network, state=StoryState.AWAITING_CONSENT, consents=1)
    with pytest.raises(ValidationError) as refused:
        services.move_story(story, "publish", actor=network.users["central"])
    assert refused.value.messages == [
        "모든 참여기업이 동의해야 게시할 수 있습니다. 아직 동의하지 않은 기업이 2곳 있습니다."
    ]
    story.refresh_from_db()
    assert story.state == StoryState.AWAITING_CONSENT and story.published_at is None


def test_consent_is_per_firm_and_revising_clears_the_consents(network):  # noqa: F811
    story = make_story(network, state=StoryState.AWAITING_CONSENT)
    services.move_story(story, "consent", actor=network.users["firm"])
    services.move_story(story, "consent", actor=network.users["firm"])  # twice: still one consent
    assert list(StoryConsent.objects.filter(story=story).values_list("firm__name", flat=True)) == ["새영테크"]
    assert services.missing_consents(story) == 2
    services.move_story(story, "revoke_consent", actor=network.users["firm"])
    assert services.missing_consents(story) == 3
    services.move_story(story, "consent", actor=network.users["firm"])
    services.move_story(story, "revise", actor=network.users["central"])
    assert not StoryConsent.objects.filter(story=story).exists()


def test_only_a_settled_good_result_becomes_a_story(network):  # noqa: F811
    from tests.programmes.chain_factories import make_funded

    poor = make_funded(network, grade="poor")
    with pytest.raises(ValidationError, match="최종 평가가 우수 또는 보통인 협약만"):
        services.start_story(poor.agreement, actor=network.users["central"])
    ended = make_funded(network, status="ended", grade="fair")
    with pytest.raises(ValidationError, match="정산이 끝난 협약만"):
        services.start_story(ended.agreement, actor=network.users["central"])
    fair = make_funded(network, grade="fair")
    with pytest.raises(PermissionDenied):
        services.start_story(fair.agreement, actor=network.users["seoul"])
    services.start_story(fair.agreement, actor=network.users["central"])
    with pytest.raises(ValidationError, match="이미 있습니다"):
        services.start_story(fair.agreement, actor=network.users["central"])


def test_the_story_is_prefilled_from_the_records(network):  # noqa: F811
    story = make_story(network)
    facts = story.facts
    assert [(m["name"], m["role"], m["industry"]) for m in facts["members"]] == [
        ("새영테크", "lead", "26"),
        ("광빛차체", "partner", "30"),
        ("구로전자", "partner", "26"),
    ]
    assert facts["money"] == {
        "government_krw": 15_000_000,
        "firm_cash_krw": 2_000_000,
        "firm_inkind_krw": 3_000_000,
        "firm_krw": 5_000_000,
        "total_krw": 20_000_000,
    }
    assert [g["name"] for g in facts["groups"]] == ["테헤란기술교류회"]
    assert [(i["seeker"], i["partner"]) for i in facts["introductions"]] == [("새영테크", "광빛차체")]
    assert [r["title"] for r in facts["results"]] == ["IoT 센서 하우징 특허 출원"]
    assert facts["growth_engine"]["code"] == "NGE09-09"
    assert sorted(story.industries.values_list("code", flat=True)) == ["26", "30"]
    assert sorted(story.exchange_types.values_list("code", flat=True)) == ["info", "newproduct"]
    assert story.region.code == "seoul"
    assert "테헤란기술교류회에서 만난 새영테크와 광빛차체, 구로전자가" in story.body
    assert "정부지원금 15,000,000원에 기업부담금 5,000,000원을 더해 모두 20,000,000원" in story.body


def test_the_firms_hear_of_the_consent_request_and_the_publication(
    network,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    from yunghap.core.models import Notification

    story = make_story(network)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_story(story, "request_consent", actor=network.users["central"])
    notice = Notification.objects.get(recipient=network.users["firm"])
    assert notice.code == "stories.consent_requested"
    assert notice.params == {"title": story.title}
    assert notice.link == f"/stories/manage/{story.pk}/"
    for firm_id in story.member_firm_ids:
        StoryConsent.objects.create(story=story, firm_id=firm_id)
    with django_capture_on_commit_callbacks(execute=True):
        services.move_story(story, "publish", actor=network.users["central"])
    published = Notification.objects.filter(recipient=network.users["firm"], code="stories.published").get()
    assert published.link == f"/stories/{story.pk}/"
