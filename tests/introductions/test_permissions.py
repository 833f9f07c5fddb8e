"""Who sees what: caseload scope, firms' own introductions, contact data only after mutual acceptance."""

from __future__ import annotations

import pytest
from django.urls import reverse

from yunghap.core.models import AccessLog
from yunghap.introductions import services
from yunghap.introductions.models import Introduction
from yunghap.introductions.workflow import State


def test_coordinator_outside_caseload_gets_404(client, world):
    client.force_login(world.other_coordinator)  # coordinates the partner's group, not the seeker's
    assert client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).status_code == 404
    response = client.post(
        reverse("introductions:create"), {"need": world.need.pk, "partner": world.stranger_firm.pk}
    )
    assert response.status_code == 404
    assert not Introduction.objects.exists()


def test_firm_that_left_the_group_leaves_the_caseload(client, world):
    import datetime

    membership = world.seeker.memberships.get()
    membership.left_on = datetime.date.today()
    membership.save()
    client.force_login(world.coordinator)
    assert client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).status_code == 404


def test_caseload_is_for_coordinators_only(client, world):
    client.force_login(world.seeker_user)
    assert client.get(reverse("introductions:caseload")).status_code == 403
    assert client.get(reverse("introductions:caseload_firm", args=[world.seeker.pk])).status_code == 403


def test_firm_users_see_only_their_own_introductions(client, world, intro):
    client.force_login(world.stranger_user)
    assert client.get(reverse("introductions:detail", args=[intro.pk])).status_code == 404
    assert world.seeker.name not in client.get(reverse("introductions:list")).content.decode()
    for user in (world.seeker_user, world.partner_user):
        client.force_login(user)
        assert client.get(reverse("introductions:detail", args=[intro.pk])).status_code == 200
        assert world.partner.name in client.get(reverse("introductions:list")).content.decode()


def test_firms_do_not_see_an_unsent_proposal(client, world):
    draft = services.create_introduction(
        actor=world.coordinator, seeker=world.seeker, partner=world.partner, need=world.need, send=False
    )
    client.force_login(world.partner_user)
    assert client.get(reverse("introductions:detail", args=[draft.pk])).status_code == 404


def test_firm_user_cannot_make_coordinator_moves(client, world, intro):
    client.force_login(world.seeker_user)
    response = client.post(
        reverse("introductions:act", args=[intro.pk, "withdraw"]), {"withdraw-reason": "x"}
    )
    assert response.status_code == 403
    assert Introduction.objects.get(pk=intro.pk).state == State.AWAITING


def test_refused_move_in_wrong_state_says_why_in_korean(client, world, intro):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("introductions:act", args=[intro.pk, "record_outcome"]), {"record_outcome-outcome": "nda"}
    )
    assert response.status_code == 200  # shown again with the reason (one status for an invalid form)
    assert "상태에서는" in response.content.decode()


def _contact_cells(response) -> str:
    return response.content.decode()


def test_contacts_masked_until_both_accept_then_shown_and_logged(client, world, intro):
    client.force_login(world.seeker_user)
    page = _contact_cells(client.get(reverse("introductions:detail", args=[intro.pk])))
    assert "010-9876-5432" not in page and "kim@mold.example" not in page and "김철수" not in page
    assert "010-****-5432" in page and "김*수" in page
    assert not AccessLog.objects.exists()

    client.force_login(world.partner_user)
    client.post(reverse("introductions:act", args=[intro.pk, "accept"]), {"accept-message": ""})
    page = _contact_cells(client.get(reverse("introductions:detail", args=[intro.pk])))
    assert "010-1111-2222" not in page  # only one side has accepted
    client.force_login(world.seeker_user)
    response = client.post(
        reverse("introductions:act", args=[intro.pk, "accept"]), {"accept-message": "반갑습니다"}
    )
    assert response.status_code == 302
    AccessLog.objects.all().delete()

    page = _contact_cells(client.get(reverse("introductions:detail", args=[intro.pk])))
    assert "010-9876-5432" in page and "kim@mold.example" in page and "김철수" in page
    log = AccessLog.objects.get()
    assert log.user == world.seeker_user and log.object_ids == [str(world.partner.pk)]
    assert log.object_type == "network.firm"


def test_strangers_never_see_contacts_even_after_acceptance(client, world, intro):
    services.answer_introduction(intro, actor=world.seeker_user, accept=True)
    services.answer_introduction(intro, actor=world.partner_user, accept=True)
    client.force_login(world.stranger_user)
    assert client.get(reverse("introductions:detail", args=[intro.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["introductions:caseload", "introductions:list", "matching:saved_search_list"]
)
def test_anonymous_users_are_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
