"""Shared set-up of the reports/results/follow-ups tests (helper 3): a consortium whose lead firm belongs to
two exchange groups, a partner, an outsider firm, their users and central/regional staff."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from tests.programmes.factories import make_agreement
from yunghap.accounts.models import Role
from yunghap.programmes.models import Agreement, Report

D = datetime.date
PDF = b"%PDF-1.4\n%report\n"


@dataclass
class Site:
    lead: Any
    partner: Any
    outsider: Any
    group_a: Any
    group_b: Any
    agreement: Agreement
    users: dict[str, Any]

    def report(
        self, kind: str = Report.Kind.INTERIM, *, seq: int = 1, due_in: int = 10, **fields: Any
    ) -> Report:
        return Report.objects.create(
            agreement=self.agreement,
            kind=kind,
            seq=seq,
            due_on=timezone.localdate() + datetime.timedelta(days=due_in),
            **fields,
        )


def make_site(**agreement_fields: Any) -> Site:
    group_a = GroupFactory(code="prog-a", name="가온교류회", founded_on=D(2001, 1, 1))
    group_b = GroupFactory(code="prog-b", name="나래교류회", founded_on=D(2002, 1, 1))
    lead = FirmFactory(name="가온정밀")
    partner = FirmFactory(name="나래소재")
    outsider = FirmFactory(name="다른기업")
    MembershipFactory(group=group_a, firm=lead, joined_on=D(2020, 1, 1))
    MembershipFactory(group=group_b, firm=lead, joined_on=D(2021, 1, 1))
    MembershipFactory(group=group_a, firm=partner, joined_on=D(2020, 1, 1))
    # A past membership does not make a group the lead's.
    old = GroupFactory(code="prog-old", name="옛교류회")
    MembershipFactory(group=old, firm=lead, joined_on=D(2010, 1, 1), left_on=D(2015, 1, 1))
    today = timezone.localdate()
    agreement_fields.setdefault("starts_on", today - datetime.timedelta(days=300))
    agreement_fields.setdefault("ends_on", today + datetime.timedelta(days=30))
    agreement = make_agreement(lead=lead, partners=[partner], **agreement_fields)
    users = {
        "lead": make_user("lead-user", Role.FIRM_USER, firm=lead),
        "partner": make_user("partner-user", Role.FIRM_USER, firm=partner),
        "outsider": make_user("outsider-user", Role.FIRM_USER, firm=outsider),
        "central": make_user("central-user", Role.CENTRAL_STAFF),
        "seoul": make_user("seoul-user", Role.REGIONAL_STAFF, federation=region("seoul")),
    }
    return Site(lead, partner, outsider, group_a, group_b, agreement, users)
