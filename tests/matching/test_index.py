from __future__ import annotations

import pytest

from tests.factories import FirmFactory, industry
from yunghap.matching import posting_services, store
from yunghap.matching.index import FirmRecord, MatchIndex, Query
from yunghap.matching.recommend import recommend_for_need
from yunghap.matching.vocabulary import Vocabulary

from .conftest import NEED, OFFER


def test_incremental_update_without_rebuild():
    vocabulary = Vocabulary([(1, "금형", ["몰드"])])
    index = MatchIndex(
        [
            FirmRecord(1, 26, 1, "small", True, [], ["금형"]),
            FirmRecord(2, 29, 1, "small", True, ["금형", "사출"], []),
            FirmRecord(3, 29, 1, "small", True, ["도금"], []),
        ],
        vocabulary,
    )
    assert [h.firm_id for h in index.search("supply", [Query(["몰드"])])] == [2]
    index.update(FirmRecord(3, 29, 1, "small", True, ["몰드", "정밀"], []))  # firm 3 now offers molds
    index.update(FirmRecord(2, 29, 1, "small", True, ["도금"], []))  # firm 2 no longer does
    index.update(FirmRecord(4, 24, 1, "small", True, ["금형"], []))  # a new firm
    assert {h.firm_id for h in index.search("supply", [Query(["몰드"])])} == {3, 4}
    assert index.delta_size == 3 and not index.needs_rebuild


@pytest.mark.django_db
def test_process_index_follows_a_changed_posting(firms, vocabulary, post, django_capture_on_commit_callbacks):
    need = post(firms["seeker"], NEED, "금형 제작 협력")
    offer = post(firms["molder"], OFFER, "도금 가공")
    assert list(recommend_for_need(need)) == []
    built = store.get_index()
    with django_capture_on_commit_callbacks(execute=True):
        posting_services.update_posting(offer, actor=None, title="몰드 설계와 제작")
    assert list(recommend_for_need(need)) == []  # a changed text is pending review: no candidate
    posting_services.approve_posting(offer, actor=None)
    assert [r.firm.name for r in recommend_for_need(need)] == ["대한금형"]
    assert store.get_index() is built  # updated in place, not rebuilt
    newcomer = FirmFactory(name="새내기금형", industry=industry("24"))
    post(newcomer, OFFER, "금형 제작")
    assert "새내기금형" in [r.firm.name for r in recommend_for_need(need)]
    assert store.get_index() is built
