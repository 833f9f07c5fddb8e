"""Who sees an agreement and its money: the accepted members, their coordinators and staff; not another
consortium's firm, not a reviewer."""

import pytest

from tests.factories import FirmFactory, make_user
from tests.programmes.factories import make_agreement, make_reviewer
from yunghap.accounts.models import Role
from yunghap.programmes.models import Agreement

pytestmark = pytest.mark.django_db


def test_the_factory_agreement_adds_up():
    agreement = make_agreement()
    assert sum(line.total_krw for line in agreement.budget_lines.all()) == agreement.total_krw


def test_members_see_their_agreement_and_nobody_else_does():
    lead, partner, other = FirmFactory(), FirmFactory(), FirmFactory()
    agreement = make_agreement(lead=lead, partners=[partner])
    for firm, expected in [(lead, [agreement]), (partner, [agreement]), (other, [])]:
        user = make_user(f"u{firm.pk}", Role.FIRM_USER, firm=firm)
        assert list(Agreement.objects.visible_to(user)) == expected
    assert list(Agreement.objects.visible_to(make_reviewer().user)) == []
    assert list(Agreement.objects.visible_to(make_user("c", Role.CENTRAL_STAFF))) == [agreement]
