"""The demo proposals: every state, public ones with support and answers, one hidden by reports; idempotent."""

from __future__ import annotations

from io import StringIO

import pytest

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.proposals.demo import build_demo, reset_demo
from yunghap.proposals.models import PolicyProposal

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_a_hidden_proposal():
    make_user("central", Role.CENTRAL_STAFF)
    for name in ("firm", "officer", "seoul", "coordinator"):
        make_user(name)
    out = StringIO()
    build_demo(seed=1, stdout=out)
    assert out.getvalue() == "제도개선 건의: 10건 (공개 7, 비공개 3, 신고로 숨김 1)"
    states = set(PolicyProposal.objects.values_list("state", flat=True))
    assert states == {"submitted", "in_review", "correction", "answered", "closed", "withdrawn"}
    assert PolicyProposal.objects.filter(moderation="pending").count() == 1
    public = PolicyProposal.objects.public()
    assert (
        public.count() == 6
        and public.filter(answer_published_at__isnull=False, supports__isnull=False).exists()
    )
    again = StringIO()
    build_demo(seed=1, stdout=again)
    assert again.getvalue() == "제도개선 건의: 이미 있어 시연 데이터를 만들지 않았습니다."
    reset_demo()
    assert not PolicyProposal.objects.exists()
