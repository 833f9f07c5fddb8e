"""The traceable chain (plan item 8, 성과 연결고리): exchange group(s) → introduction(s) → consortium →
application → agreement → payments → reports → result.

`chain_of(anchor, viewer=user)` builds it from the records for a ledger result (`activities.Outcome` with
its agreement), an agreement or an application, in a fixed number of queries. Every step is checked with
its own `visible_to`; a step the viewer may not see is a "비공개" step with no names and no count.

Where the links come from (decisions.md):
- the groups are those in which at least two of the consortium's accepted firms were members on the day it
  formed (where they met), or the lead's groups on that day when no group held two of them; the result's
  own groups (the ledger row's group) are added;
- the introductions are those sent between two of the consortium's accepted firms before the application
  was submitted (before today for a draft): the introductions workflow already records who met whom, so no
  extra link is stored;
- everything derived from the consortium (groups, introductions, members) is private unless the viewer sees
  the application: otherwise a result's page would tell a group member who formed a consortium.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from yunghap.core.korean import fill

from .models import Agreement, Application, ConsortiumMember, GovernmentPayment

# The steps in order, with their Korean labels (codes are stable; labels translated when shown).
STEP_KINDS = (
    "group",
    "introduction",
    "consortium",
    "application",
    "agreement",
    "payments",
    "reports",
    "result",
)


def step_label(kind: str) -> str:
    labels = {
        "group": pgettext("chain step", "교류회"),
        "introduction": pgettext("chain step", "소개"),
        "consortium": pgettext("chain step", "프로젝트 단위협력체"),
        "application": pgettext("chain step", "신청"),
        "agreement": pgettext("chain step", "협약"),
        "payments": pgettext("chain step", "자금 집행"),
        "reports": pgettext("chain step", "보고"),
        "result": pgettext("chain step", "성과"),
    }
    return labels[kind]


def _url(name: str, *args: Any) -> str:
    """The page of a step, or "" where the page does not exist (yet): the chain still shows the step."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Link:
    text: str
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Step:
    kind: str
    links: tuple[Link, ...] = ()
    # The viewer may not see this step, or some of its items: shown as "비공개", never with a count.
    private: bool = False
    current: bool = False

    @property
    def label(self) -> str:
        return step_label(self.kind)

    @property
    def empty(self) -> bool:
        return not self.links and not self.private


@dataclass
class Chain:
    steps: list[Step]
    application: Application | None = None
    agreement: Agreement | None = None
    # Internal facts for the success stories (only filled for viewers who see the application).
    member_firm_ids: list[int] = field(default_factory=list)
    group_ids: list[int] = field(default_factory=list)
    introduction_ids: list[int] = field(default_factory=list)
    outcome_ids: list[int] = field(default_factory=list)

    def step(self, kind: str) -> Step:
        return next(s for s in self.steps if s.kind == kind)

    def as_dict(self) -> list[dict[str, Any]]:
        return [
            {
                "kind": s.kind,
                "label": s.label,
                "private": s.private,
                "links": [{"text": link.text, "url": link.url, "note": link.note} for link in s.links],
            }
            for s in self.steps
        ]


def _won(amount: int) -> str:
    return fill(_("%(amount)s원"), {"amount": f"{amount:,}"})


def _formation_day(application: Application) -> datetime.date:
    created = application.consortium.created_at
    return timezone.localtime(created).date() if created else timezone.localdate()


def _meeting_groups(firm_ids: list[int], lead_id: int, on: datetime.date) -> list[int]:
    from yunghap.network.models import Membership

    rows = list(
        Membership.objects.current(on).filter(firm_id__in=firm_ids).values_list("group_id", "firm_id")
    )
    firms_by_group: dict[int, set[int]] = {}
    for group_id, firm_id in rows:
        firms_by_group.setdefault(group_id, set()).add(firm_id)
    shared = sorted(g for g, firms in firms_by_group.items() if len(firms) >= 2)
    if shared:
        return shared
    return sorted(g for g, firms in firms_by_group.items() if lead_id in firms)


def chain_of(anchor: Any, *, viewer: Any) -> Chain:
    """The chain through `anchor` (an Outcome, an Agreement or an Application) as `viewer` may see it."""
    from yunghap.activities.models import Outcome

    outcome: Any = None
    if isinstance(anchor, Outcome):
        outcome = anchor
        agreement_id = anchor.agreement_id
        application_id = (
            Agreement.objects.filter(pk=agreement_id).values_list("application_id", flat=True).first()
            if agreement_id
            else None
        )
        current = "result"
    elif isinstance(anchor, Agreement):
        agreement_id, application_id, current = anchor.pk, anchor.application_id, "agreement"
    elif isinstance(anchor, Application):
        application_id, current = anchor.pk, "application"
        agreement_id = Agreement.objects.filter(application_id=anchor.pk).values_list("pk", flat=True).first()
    else:  # pragma: no cover - a programming error
        raise TypeError(f"no chain through {anchor!r}")

    if application_id is None:
        # A ledger result without a funded consortium: its group and itself.
        return _outcome_only(outcome, viewer)

    application = Application.objects.select_related("consortium__lead", "call", "topic").get(
        pk=application_id
    )
    sees_application = Application.objects.visible_to(viewer).filter(pk=application_id).exists()
    agreement = Agreement.objects.visible_to(viewer).filter(pk=agreement_id).first() if agreement_id else None
    sees_agreement = agreement is not None
    steps: list[Step] = []
    chain = Chain(steps=steps, application=application if sees_application else None, agreement=agreement)

    # --- outcomes of the agreement (the results), needed for their groups
    outcome_rows: list[tuple[int, int, str, datetime.date, str]] = []
    if agreement_id:
        outcome_rows = list(
            Outcome.objects.filter(agreement_id=agreement_id)
            .order_by("achieved_on", "id")
            .values_list("pk", "group_id", "title", "achieved_on", "kind")
        )

    # --- groups and introductions (derived from the consortium)
    members = list(
        ConsortiumMember.objects.filter(
            consortium_id=application.consortium_id, state=ConsortiumMember.State.ACCEPTED
        )
        .select_related("firm")
        .order_by("role", "id")
    )
    firm_ids = [m.firm_id for m in members]
    from yunghap.introductions.models import Introduction
    from yunghap.network.models import ExchangeGroup

    result_group_ids = sorted({row[1] for row in outcome_rows})
    meeting_group_ids = _meeting_groups(firm_ids, application.consortium.lead_id, _formation_day(application))
    group_ids = sorted(set(meeting_group_ids) | set(result_group_ids))
    shown_group_ids = group_ids if sees_application else result_group_ids
    visible_groups = list(
        ExchangeGroup.objects.visible_to(viewer)
        .filter(pk__in=shown_group_ids)
        .order_by("name")
        .only("code", "name")
    )
    steps.append(
        Step(
            "group",
            tuple(Link(g.name, _url("network:group_detail", g.code)) for g in visible_groups),
            private=len(visible_groups) < len(group_ids),
        )
    )

    cutoff = application.submitted_at or timezone.now()
    introductions = Introduction.objects.filter(
        seeker_id__in=firm_ids, partner_id__in=firm_ids, sent_at__isnull=False, sent_at__lte=cutoff
    )
    all_intro_ids = list(introductions.values_list("pk", flat=True))
    visible_intros = (
        list(
            Introduction.objects.visible_to(viewer)
            .filter(pk__in=all_intro_ids)
            .select_related("seeker", "partner")
            .order_by("sent_at", "id")
        )
        if sees_application and all_intro_ids
        else []
    )
    steps.append(
        Step(
            "introduction",
            tuple(
                Link(
                    f"{i.seeker.name} ↔ {i.partner.name}",
                    _url("introductions:detail", i.pk),
                    f"{timezone.localtime(i.sent_at):%Y-%m-%d} · {i.get_effective_state_display()}"
                    if i.sent_at
                    else "",
                )
                for i in visible_intros
            ),
            private=not sees_application or len(visible_intros) < len(all_intro_ids),
        )
    )

    # --- consortium and application
    application_url = _url("programmes:application_detail", application.pk)
    if sees_application:
        member_note = ", ".join(
            f"{m.firm.name}({m.get_role_display()})" if m.role == ConsortiumMember.Role.LEAD else m.firm.name
            for m in members
        )
        steps.append(Step("consortium", (Link(application.consortium.name, application_url, member_note),)))
        steps.append(
            Step(
                "application",
                (
                    Link(
                        f"{application.ref} {application.title}",
                        application_url,
                        f"{application.call.title} · {application.get_status_display()}",
                    ),
                ),
                current=current == "application",
            )
        )
        chain.member_firm_ids = firm_ids
        chain.group_ids = group_ids
        chain.introduction_ids = all_intro_ids
    else:
        steps.append(Step("consortium", private=True))
        steps.append(Step("application", private=True, current=current == "application"))

    # --- agreement, payments, reports
    if agreement_id is None:
        steps.extend([Step("agreement"), Step("payments"), Step("reports")])
    elif not sees_agreement:
        steps.extend(
            [
                Step("agreement", private=True, current=current == "agreement"),
                Step("payments", private=True),
                Step("reports", private=True),
            ]
        )
    else:
        assert agreement is not None
        agreement_url = _url("programmes:agreement_detail", agreement.pk) or application_url
        steps.append(
            Step(
                "agreement",
                (
                    Link(
                        fill(
                            _("%(starts)s ~ %(ends)s · %(status)s"),
                            {
                                "starts": f"{agreement.starts_on:%Y-%m-%d}",
                                "ends": f"{agreement.ends_on:%Y-%m-%d}",
                                "status": agreement.get_status_display(),
                            },
                        ),
                        agreement_url,
                        fill(_("정부지원금 %(amount)s"), {"amount": _won(agreement.government_krw)})
                        + (f" · {agreement.get_grade_display()}" if agreement.grade else ""),
                    ),
                ),
                current=current == "agreement",
            )
        )
        paid = GovernmentPayment.objects.filter(agreement_id=agreement.pk).aggregate(
            n=Count("id"), total=Sum("government_krw")
        )
        deposited = agreement.deposits.aggregate(n=Count("id"), total=Sum("firm_cash_krw"))
        funds_url = _url("programmes:agreement_funds", agreement.pk) or agreement_url
        reports_url = _url("programmes:agreement_reports", agreement.pk) or agreement_url
        money: list[Link] = []
        if deposited["n"]:
            money.append(
                Link(
                    fill(_("기업부담금 입금 %(n)s건"), {"n": deposited["n"]}),
                    funds_url,
                    _won(deposited["total"] or 0),
                )
            )
        if paid["n"]:
            money.append(
                Link(
                    fill(_("정부지원금 지급 %(n)s건"), {"n": paid["n"]}),
                    funds_url,
                    _won(paid["total"] or 0),
                )
            )
        steps.append(Step("payments", tuple(money)))
        reports = list(
            agreement.reports.order_by("due_on", "seq", "id").only(
                "agreement_id", "kind", "seq", "status", "due_on"
            )
        )
        steps.append(
            Step(
                "reports",
                tuple(
                    Link(
                        f"{r.get_kind_display()} {r.seq}",
                        reports_url,
                        f"{r.due_on:%Y-%m-%d} · {r.get_status_display()}",
                    )
                    for r in reports
                ),
            )
        )

    # --- results
    if sees_agreement:
        # Whoever sees the agreement sees its results (a partner firm of another group included).
        visible_outcome_ids = {row[0] for row in outcome_rows}
    elif outcome_rows:
        visible_outcome_ids = set(
            Outcome.objects.visible_to(viewer)
            .filter(pk__in=[row[0] for row in outcome_rows])
            .values_list("pk", flat=True)
        )
    else:
        visible_outcome_ids = set()
    steps.append(
        Step(
            "result",
            tuple(
                Link(title, _url("programmes:result_chain", pk), f"{achieved:%Y-%m-%d} · {_kind_label(kind)}")
                for pk, _g, title, achieved, kind in outcome_rows
                if pk in visible_outcome_ids
            ),
            private=len(visible_outcome_ids) < len(outcome_rows),
            current=current == "result",
        )
    )
    chain.outcome_ids = [row[0] for row in outcome_rows]
    return chain


def _kind_label(kind: str) -> str:
    from yunghap.activities.models import Outcome

    return str(dict(Outcome.Kind.choices).get(kind, kind))


def outcome_visible_to(viewer: Any) -> Any:
    """The results a viewer may open the chain of: those of groups they see, and those of agreements they
    see (a partner firm from another group sees its own consortium's results)."""
    from yunghap.activities.models import Outcome

    return Outcome.objects.filter(
        Q(pk__in=Outcome.objects.visible_to(viewer).values("pk"))
        | Q(agreement_id__in=Agreement.objects.visible_to(viewer).values("pk"))
    )


def _outcome_only(outcome: Any, viewer: Any) -> Chain:
    from yunghap.network.models import ExchangeGroup

    group = ExchangeGroup.objects.visible_to(viewer).filter(pk=outcome.group_id).only("code", "name").first()
    steps = [
        Step(
            "group",
            (Link(group.name, _url("network:group_detail", group.code)),) if group else (),
            private=group is None,
        ),
        *(Step(kind) for kind in STEP_KINDS[1:-1]),
        Step(
            "result",
            (
                Link(
                    outcome.title,
                    _url("programmes:result_chain", outcome.pk),
                    f"{outcome.achieved_on:%Y-%m-%d} · {outcome.get_kind_display()}",
                ),
            ),
            current=True,
        ),
    ]
    return Chain(steps=steps, outcome_ids=[outcome.pk])
