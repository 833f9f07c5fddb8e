"""The competition tests' world: the web tests' network, a call's consortium led by the `firm` persona's
firm, reviewers from the programmes' pool, and a Seoul competition open for entries today."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from tests.competitions.world import make_competition
from tests.factories import make_user
from tests.programmes.factories import make_application, make_call, make_reviewer
from tests.web.conftest import _fast_passwords, _fresh_cache, network  # noqa: F401  (fixtures)
from yunghap.accounts.models import Role
from yunghap.network.models import Firm


@pytest.fixture
def comp(network: Any) -> Any:  # noqa: F811
    users = dict(network.users)
    users["reviewer"] = make_user("reviewer", Role.REVIEWER)
    call = make_call(code="c-comp")
    application = make_application(
        call, network.member_firm, [Firm.objects.get(name="구로전자")], ref="c-comp-001"
    )
    reviewer = make_reviewer(user=users["reviewer"])
    competition = make_competition(users["seoul"])
    return SimpleNamespace(
        net=network,
        users=users,
        consortium=application.consortium,
        application=application,
        reviewer=reviewer,
        competition=competition,
    )
