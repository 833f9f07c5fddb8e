from __future__ import annotations

import datetime

import pytest

from tests.factories import FirmFactory, industry
from yunghap.matching import posting_services
from yunghap.matching.models import Posting

FUTURE = datetime.date.today() + datetime.timedelta(days=90)

VOCABULARY = [
    ("금형 제작", ["금형", "몰드", "금형제작"], ["mold"]),
    ("사출 성형", ["사출", "사출성형"], ["injection molding"]),
    ("스마트팩토리", ["스마트 공장"], ["smart factory"]),
    ("PLC 제어", ["자동제어"], ["PLC"]),
    ("IoT 센서", ["센서", "사물인터넷"], ["IoT"]),
    ("CNC 가공", ["정밀가공", "절삭가공"], ["CNC"]),
]


@pytest.fixture
def vocabulary(db):
    return [
        posting_services.save_capability(None, actor=None, name=name, synonyms=syn, english_terms=eng)
        for name, syn, eng in VOCABULARY
    ]


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    """Create a posting through the service and run its analysis task (it runs after commit)."""

    def make(firm, kind, title, description="", keywords=(), expires_on=FUTURE, **extra):
        # Only approved postings are candidates for other firms; these tests are about ranking.
        extra.setdefault("review_status", Posting.ReviewStatus.APPROVED)
        with django_capture_on_commit_callbacks(execute=True):
            posting = posting_services.create_posting(
                firm,
                actor=None,
                kind=kind,
                title=title,
                description=description,
                keywords=list(keywords),
                expires_on=expires_on,
                **extra,
            )
        posting.refresh_from_db()
        return posting

    return make


@pytest.fixture
def firms(db):
    """An electronics firm that needs molds, and candidates: a mold maker in machinery (29), a mold maker
    in electronics (26, same division), a firm that merely needs molds too (similar, not complementary)."""
    return {
        "seeker": FirmFactory(name="센서전자", industry=industry("26")),
        "molder": FirmFactory(name="대한금형", industry=industry("29")),
        "same_div": FirmFactory(name="전자금형", industry=industry("26")),
        "lookalike": FirmFactory(name="비슷한전자", industry=industry("27")),
    }


OFFER = Posting.Kind.OFFER
NEED = Posting.Kind.NEED


# The postings and saved-search pages are tried on the introductions tests' small network (a coordinator's
# group, a seeker and a partner in another region, their users).
from tests.introductions.conftest import World, intro, world  # noqa: E402,F401
