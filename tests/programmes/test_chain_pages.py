"""The traceable chain (plan item 8): group → introduction → consortium → application → agreement →
payments → reports → result, on the result's page and the application's, as each viewer may see it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import make_user
from tests.programmes.chain_factories import make_funded
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.accounts.models import Role
from yunghap.programmes.chain import STEP_KINDS, chain_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(network):  # noqa: F811
    return make_funded(network)


def _texts(chain, kind):
    return [link.text for link in chain.step(kind).links]


def test_central_staff_see_every_step_with_its_records(network, funded):  # noqa: F811
    chain = chain_of(funded.outcome, viewer=network.users["central"])
    assert [s.kind for s in chain.steps] == list(STEP_KINDS)
    assert _texts(chain, "group") == ["테헤란기술교류회"]
    assert _texts(chain, "introduction") == ["새영테크 ↔ 광빛차체"]
    assert _texts(chain, "consortium") == ["새영테크 협력체"]
    assert chain.step("consortium").links[0].note == "새영테크(주관기업), 광빛차체, 구로전자"
    assert _texts(chain, "application")[0].startswith(funded.application.ref)
    assert chain.step("agreement").links[0].note == "정부지원금 15,000,000원 · 우수"
    assert _texts(chain, "payments") == ["기업부담금 입금 1건", "정부지원금 지급 1건"]
    assert [link.note for link in chain.step("payments").links] == ["2,000,000원", "15,000,000원"]
    assert _texts(chain, "reports") == ["최종보고 1"]
    assert _texts(chain, "result") == ["IoT 센서 하우징 특허 출원"]
    assert chain.step("result").current
    assert not any(s.private for s in chain.steps)


def test_an_introduction_after_the_application_or_with_an_outsider_is_not_in_the_chain(network, funded):  # noqa: F811
    from tests.programmes.chain_factories import make_introduction

    make_introduction(
        network.member_firm,
        network.chair_firm,
        sent_at=funded.application.submitted_at.replace(year=funded.application.submitted_at.year + 1),
    )
    make_introduction(network.member_firm, network.busan_firm, sent_at=funded.introduction.sent_at)
    chain = chain_of(funded.application, viewer=network.users["central"])
    assert _texts(chain, "introduction") == ["새영테크 ↔ 광빛차체"]
    assert chain.step("application").current


def test_a_group_member_who_does_not_see_the_consortium_sees_private_steps_without_names(network, funded):  # noqa: F811
    """The Seoul group's officer sees the result (their group's ledger) but not the consortium's money."""
    chain = chain_of(funded.outcome, viewer=network.users["officer"])
    assert _texts(chain, "group") == ["테헤란기술교류회"]
    for kind in ("introduction", "consortium", "application", "agreement", "payments", "reports"):
        step = chain.step(kind)
        assert step.private and not step.links, kind
    assert _texts(chain, "result") == ["IoT 센서 하우징 특허 출원"]
    client_page = chain.as_dict()
    assert "광빛차체" not in str(client_page) and "구로전자" not in str(client_page)


def test_the_result_page_for_a_member_firm_and_a_stranger(client, network, funded):  # noqa: F811
    url = reverse("programmes:result_chain", args=[funded.outcome.pk])
    client.force_login(network.users["firm"])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "새영테크 ↔ 광빛차체" in body and "15,000,000원" in body
    assert 'data-private="1"' not in body
    client.force_login(network.users["busan"])
    assert client.get(url).status_code == 404


def test_a_partner_of_another_group_sees_its_results_through_the_agreement(client, network, funded):  # noqa: F811
    from yunghap.network.models import Firm

    other_user = make_user("guro", Role.FIRM_USER, firm=Firm.objects.get(name="구로전자"))
    client.force_login(other_user)
    page = client.get(reverse("programmes:result_chain", args=[funded.outcome.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    # It is not a member of the Seoul group: that group is private to it, the rest of its own chain is not.
    assert "테헤란기술교류회" not in body
    assert "IoT 센서 하우징 특허 출원" in body and "최종보고 1" in body


def test_the_application_page_shows_the_chain(client, network, funded):  # noqa: F811
    client.force_login(network.users["firm"])
    page = client.get(reverse("programmes:application_detail", args=[funded.application.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="traceable-chain"' in body and "IoT 센서 하우징 특허 출원" in body


def test_the_chain_costs_a_fixed_number_of_queries(network, funded, django_assert_max_num_queries):  # noqa: F811
    viewer = network.users["central"]
    with django_assert_max_num_queries(15) as first:
        chain_of(funded.outcome, viewer=viewer)
    funded2 = make_funded(network)
    with django_assert_max_num_queries(len(first.captured_queries)):
        chain_of(funded2.outcome, viewer=viewer)
