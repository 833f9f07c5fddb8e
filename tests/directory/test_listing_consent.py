"""A firm's listing consent (공개 동의): its users see "내 공개 카드" exactly as the public will, consent and
withdraw (asked first), each change one audit row; staff cannot consent on a firm's behalf."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import FirmFactory, make_user
from tests.web.conftest import network  # noqa: F401  (the fixture)
from tests.write_once_support import token_of
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.network import directory_services
from yunghap.network.models import FirmListing

pytestmark = pytest.mark.django_db


def test_consent_and_withdraw_with_one_audit_row_each(client, network):  # noqa: F811
    firm = network.member_firm
    client.force_login(network.users["firm"])
    mine = client.get(reverse("directory:mine"))
    html = mine.content.decode()
    assert mine.status_code == 200 and "내 공개 카드" in html and "비공개" in html
    assert "새영테크" in html and firm.brn_display not in html.split('id="own-card-')[1].split("</dl>")[0]

    consent_url = reverse("directory:consent", kwargs={"brn": firm.brn})
    response = client.post(consent_url, {"form_token": token_of(mine)})
    assert response.status_code == 302 and response["Location"] == reverse("directory:mine")
    listing = FirmListing.objects.get(firm=firm)
    assert listing.consented and listing.changed_by == network.users["firm"]
    audit = AuditLog.objects.get(action="firm.listing_consent")
    assert audit.changes == {"firm": firm.pk, "consented": [False, True]}
    public = client.get(reverse("directory:firm_detail", kwargs={"public_id": listing.public_id}))
    assert public.status_code == 200
    # "내 공개 카드" is the card the public sees, field for field.
    own = client.get(reverse("directory:mine")).content.decode()
    card = public.content.decode().split('id="firm-card"')[1].split("</dl>")[0]
    assert card in own and "공개 중" in own

    # Withdrawing asks first.
    withdraw_url = reverse("directory:withdraw", kwargs={"brn": firm.brn})
    ask = client.get(withdraw_url)
    assert ask.status_code == 200 and "디렉터리에서 이 기업의 공개 카드가 사라집니다" in ask.content.decode()
    token = token_of(ask)
    assert client.post(withdraw_url, {"form_token": token}).status_code == 302
    # The same confirmation sent again does nothing more.
    assert client.post(withdraw_url, {"form_token": token}).status_code == 302
    listing.refresh_from_db()
    assert not listing.consented
    assert AuditLog.objects.filter(action="firm.listing_withdraw").count() == 1
    assert (
        client.get(reverse("directory:firm_detail", kwargs={"public_id": listing.public_id})).status_code
        == 404
    )

    # Consenting again gives the same address back.
    again = client.get(consent_url)
    assert client.post(consent_url, {"form_token": token_of(again)}).status_code == 302
    assert FirmListing.objects.get(firm=firm).public_id == listing.public_id
    assert AuditLog.objects.filter(action="firm.listing_consent").count() == 2


def test_a_post_without_its_token_changes_nothing(client, network):  # noqa: F811
    client.force_login(network.users["firm"])
    response = client.post(reverse("directory:consent", kwargs={"brn": network.member_firm.brn}))
    assert response.status_code == 400 and "공개 동의" in response.content.decode()
    assert not FirmListing.objects.filter(consented=True).exists()


def test_staff_cannot_consent_for_a_firm(client, network):  # noqa: F811
    client.force_login(network.users["central"])
    response = client.get(reverse("directory:consent", kwargs={"brn": network.member_firm.brn}))
    assert response.status_code == 403
    assert "회원사 사용자만" in response.content.decode()
    with pytest.raises(ValidationError) as refused:
        directory_services.set_listing_consent(
            network.member_firm, actor=network.users["central"], consented=True
        )
    assert refused.value.code == directory_services.NOT_FIRM_USER
    assert (
        not FirmListing.objects.exists()
        and not AuditLog.objects.filter(action__startswith="firm.listing").exists()
    )


def test_a_firm_user_manages_only_their_own_firm(client, network):  # noqa: F811
    client.force_login(network.users["firm"])
    # Other firms are outside a firm user's registry scope: not found, whether in their group or not.
    assert client.get(reverse("directory:consent", kwargs={"brn": network.chair_firm.brn})).status_code == 404
    assert client.get(reverse("directory:consent", kwargs={"brn": network.busan_firm.brn})).status_code == 404
    # A staff member who sees the firm in the registry is refused with the reason.
    client.force_login(network.users["seoul"])
    refused = client.get(reverse("directory:withdraw", kwargs={"brn": network.member_firm.brn}))
    assert refused.status_code == 403 and "회원사 사용자만" in refused.content.decode()


def test_a_user_of_two_firms_sees_both_cards(client, network):  # noqa: F811
    user = make_user("twofirms", Role.FIRM_USER, firm=network.member_firm)
    from yunghap.accounts.models import RoleGrant

    second = FirmFactory(name="둘째기업")
    RoleGrant.objects.create(user=user, role=Role.FIRM_USER, firm=second)
    client.force_login(user)
    html = client.get(reverse("directory:mine")).content.decode()
    assert "새영테크" in html and "둘째기업" in html


def test_setting_the_same_state_twice_writes_nothing_more(network):  # noqa: F811
    actor = network.users["firm"]
    directory_services.set_listing_consent(network.member_firm, actor=actor, consented=False)
    assert not AuditLog.objects.filter(action__startswith="firm.listing").exists()
    directory_services.set_listing_consent(network.member_firm, actor=actor, consented=True)
    directory_services.set_listing_consent(network.member_firm, actor=actor, consented=True)
    assert AuditLog.objects.filter(action="firm.listing_consent").count() == 1
