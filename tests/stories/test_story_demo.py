"""The stories' demo: made from settled good agreements, idempotent, and skipped without them."""

from __future__ import annotations

import io

import pytest

from tests.programmes.chain_factories import make_funded
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.stories.demo import build_demo, reset_demo
from yunghap.stories.models import StoryState, SuccessStory

pytestmark = pytest.mark.django_db


def test_without_demo_agreements_nothing_is_made():
    out = io.StringIO()
    build_demo(seed=1, stdout=out)
    assert out.getvalue() == "성공사례: 정산이 끝난 우수·보통 협약이 없어 만들지 않았습니다."
    assert not SuccessStory.objects.exists()


def test_the_demo_stories_and_a_second_run(network):  # noqa: F811
    for _ in range(3):
        make_funded(network)
    make_funded(network, grade="poor")
    out = io.StringIO()
    build_demo(seed=1, stdout=out)
    assert out.getvalue() == "성공사례: 3건 (게시 1, 동의 대기 1, 작성 중 1)"
    assert list(SuccessStory.objects.order_by("id").values_list("state", flat=True)) == [
        StoryState.PUBLISHED,
        StoryState.AWAITING_CONSENT,
        StoryState.DRAFT,
    ]
    again = io.StringIO()
    build_demo(seed=1, stdout=again)
    assert again.getvalue() == "성공사례: 이미 있어 시연 데이터를 만들지 않았습니다."
    reset_demo()
    assert not SuccessStory.objects.exists()
