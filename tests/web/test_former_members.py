"""Issue 7, finding 2: rights come from current memberships; a firm that left keeps only its own history."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.network import permissions
from yunghap.network.models import ExchangeGroup, Firm, Membership

pytestmark = pytest.mark.django_db

LEFT = datetime.date(2000, 12, 31)


@pytest.fixture
def history(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    group = GroupFactory(code="seoul-old", name="오래된교류회", founded_on=datetime.date(1990, 1, 1))
    stayer = FirmFactory(name="남은기업")
    leaver = FirmFactory(name="떠난기업", representative="박떠남", phone="010-2000-1231")
    busan_leaver = FirmFactory(
        name="부산떠난기업", federation=region("busan"), representative="최부산", phone="010-3000-1231"
    )
    MembershipFactory(group=group, firm=stayer, joined_on=datetime.date(1995, 1, 1))
    MembershipFactory(group=group, firm=leaver, joined_on=datetime.date(1995, 1, 1), left_on=LEFT)
    MembershipFactory(group=group, firm=busan_leaver, joined_on=datetime.date(1995, 1, 1), left_on=LEFT)
    meeting = ledger.record_meeting(
        group,
        actor=None,
        held_on=datetime.date(2020, 5, 1),
        minutes="기밀 회의록",
        present_firm_ids=[stayer.pk],
    )
    outcome = ledger.record_outcome(
        group,
        actor=None,
        kind="patent",
        title="특허",
        achieved_on=datetime.date(2020, 5, 1),
        firms=[stayer],
        evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
    )
    return group, stayer, leaver, busan_leaver, meeting, outcome


def test_a_firm_that_left_in_2000_no_longer_reaches_the_group(client, history):
    group, _stayer, leaver, _busan, meeting, outcome = history
    client.force_login(make_user("leaver", Role.FIRM_USER, firm=leaver))
    assert client.get(reverse("network:group_detail", args=[group.code])).status_code == 404
    assert client.get(reverse("activities:meeting_detail", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("activities:outcome_evidence", args=[outcome.pk])).status_code == 404
    # Its own page still shows its whole history, the former group named but no longer a link.
    page = client.get(reverse("network:firm_detail", args=[leaver.brn]))
    assert page.status_code == 200
    html = page.content.decode()
    assert group.name in html and "2000-12-31" in html
    assert reverse("network:group_detail", args=[group.code]) not in html


def test_a_current_member_still_reaches_the_group(client, history):
    group, stayer, _leaver, _busan, meeting, outcome = history
    client.force_login(make_user("stayer", Role.FIRM_USER, firm=stayer))
    assert client.get(reverse("network:group_detail", args=[group.code])).status_code == 200
    assert client.get(reverse("activities:meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("activities:outcome_evidence", args=[outcome.pk])).status_code == 200


def test_officers_and_other_regions_lose_the_contacts_of_firms_that_left(client, history):
    group, stayer, leaver, busan_leaver, _meeting, _outcome = history
    officer = make_user("officer", Role.GROUP_OFFICER, group=group)
    busan_staff = make_user("busan", Role.REGIONAL_STAFF, federation=region("busan"))
    seoul_staff = make_user("seoul", Role.REGIONAL_STAFF, federation=region("seoul"))
    assert permissions.can_see_personal_data(officer, stayer)
    assert not permissions.can_see_personal_data(officer, leaver)
    assert not permissions.can_see_personal_data(officer, busan_leaver)
    # Seoul staff keep Busan's former member of their group only while it is one; Busan staff keep their own.
    assert not permissions.can_see_personal_data(seoul_staff, busan_leaver)
    assert permissions.can_see_personal_data(busan_staff, busan_leaver)
    assert not Firm.objects.visible_to(officer).filter(pk=leaver.pk).exists()
    assert not Firm.objects.visible_to(seoul_staff).filter(pk=busan_leaver.pk).exists()
    client.force_login(officer)
    assert client.get(reverse("network:firm_detail", args=[leaver.brn])).status_code == 404
    html = client.get(reverse("network:group_detail", args=[group.code])).content.decode()
    assert "010-2000-1231" not in html and "박떠남" not in html


def test_a_grace_period_is_a_setting(client, history, settings):
    group, _stayer, leaver, _busan, _meeting, _outcome = history
    user = make_user("leaver", Role.FIRM_USER, firm=leaver)
    Membership.objects.filter(firm=leaver).update(left_on=timezone.localdate() - datetime.timedelta(days=3))
    assert not ExchangeGroup.objects.visible_to(user).filter(pk=group.pk).exists()
    settings.MEMBERSHIP_GRACE_DAYS = 7
    assert ExchangeGroup.objects.visible_to(user).filter(pk=group.pk).exists()
    settings.MEMBERSHIP_GRACE_DAYS = 2
    assert not ExchangeGroup.objects.visible_to(user).filter(pk=group.pk).exists()
