""" "Is the coordinator of this introduction" is one rule (models.coordinated_by_condition): the object check,
the coordinator's list and what they may see agree for the same cases (issue 8 §8)."""

from __future__ import annotations

import pytest

from tests.factories import GroupFactory, make_user
from yunghap.accounts.models import Role
from yunghap.introductions.models import Introduction
from yunghap.introductions.services import is_coordinator_for


@pytest.mark.parametrize(
    "who, expected",
    [
        ("coordinator", True),  # its own coordinator (the seeker is in their caseload)
        ("other_coordinator", True),  # a colleague whose caseload holds the partner
        ("unrelated_coordinator", False),  # a coordinator of a group neither firm belongs to
        ("seeker_user", False),  # a party is not a coordinator
        ("partner_user", False),
    ],
)
def test_one_answer_on_every_path(world, intro, who, expected):
    if who == "unrelated_coordinator":
        user = make_user("coord3", Role.COORDINATOR, group=GroupFactory(name="무관교류회"))
    else:
        user = getattr(world, who)
    assert is_coordinator_for(user, intro) is expected
    assert Introduction.objects.coordinated_by(user).filter(pk=intro.pk).exists() is expected
    if expected:
        assert Introduction.objects.visible_to(user).filter(pk=intro.pk).exists()
    elif who == "unrelated_coordinator":
        assert not Introduction.objects.visible_to(user).filter(pk=intro.pk).exists()
