"""A call's rules, checked in one place: one function per rule, each with a stable code.

The application form (live, through `check_budget`, and at submission), the applications import and the API
all call these functions, so a rule holds the same way on every path (architecture principle 12). A broken
rule is a `Breach`: the code (`grant_cap`, `government_share`, `firm_share`, `cash_share`, `members`,
`divisions`, `not_member`, `closed`, `firm_limit`) and parameters; its text is rendered in the reader's
language from `message_codes` (stored on the application as data, never as a sentence).

Shares are compared in whole numbers (`government × 100 ≤ max × total`), so that exactly 75 % passes and
one won more does not, with no rounding in between.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import Any

from yunghap.core.messages_catalogue import message, render

from . import message_codes

GRANT_CAP = "grant_cap"
GOVERNMENT_SHARE = "government_share"
FIRM_SHARE = "firm_share"
CASH_SHARE = "cash_share"
MEMBERS = "members"
DIVISIONS = "divisions"
NOT_MEMBER = "not_member"
CLOSED = "closed"
FIRM_LIMIT = "firm_limit"

# The order breaches are listed in: budget first (what the applicant fixes in the form), then the members.
RULE_CODES = (
    GRANT_CAP,
    GOVERNMENT_SHARE,
    FIRM_SHARE,
    CASH_SHARE,
    MEMBERS,
    DIVISIONS,
    NOT_MEMBER,
    CLOSED,
    FIRM_LIMIT,
)
BUDGET_RULES = (GRANT_CAP, GOVERNMENT_SHARE, FIRM_SHARE, CASH_SHARE)


@dataclass(frozen=True)
class CallRules:
    """The rule set of a call (a `Call`'s rule fields, or a revision's snapshot)."""

    budget_krw: int
    quota: int
    grant_cap_krw: int
    cap_applies_to: str  # "government" or "total"
    government_share_max: Decimal  # percent
    firm_share_min: Decimal  # percent of the total cost
    firm_cash_share_min: Decimal  # percent of the firms' share
    min_members: int
    min_divisions: int
    max_applications_per_firm: int
    reviews_per_application: int
    pass_score: Decimal

    @classmethod
    def of(cls, call: Any) -> CallRules:
        return cls(**{name: getattr(call, name) for name in cls.__dataclass_fields__})

    @classmethod
    def from_snapshot(cls, snapshot: Mapping[str, Any]) -> CallRules:
        values = {name: snapshot[name] for name in cls.__dataclass_fields__}
        for name in ("government_share_max", "firm_share_min", "firm_cash_share_min", "pass_score"):
            values[name] = Decimal(str(values[name]))
        return cls(**values)


@dataclass(frozen=True)
class Budget:
    government_krw: int
    firm_cash_krw: int
    firm_inkind_krw: int

    @classmethod
    def of(cls, application: Any) -> Budget:
        return cls(application.government_krw, application.firm_cash_krw, application.firm_inkind_krw)

    @property
    def firm_krw(self) -> int:
        return self.firm_cash_krw + self.firm_inkind_krw

    @property
    def total_krw(self) -> int:
        return self.government_krw + self.firm_krw

    def share(self, part: int, whole: int | None = None, rounding: str = ROUND_HALF_UP) -> Decimal:
        """`part` as a percentage of `whole` (the total cost by default), to two decimals, for display.

        A breach rounds away from the limit (down under a minimum, up over a maximum), so that 19.99998 %
        under a 20 % minimum never reads "20.00 %"."""
        whole = self.total_krw if whole is None else whole
        if not whole:
            return Decimal("0.00")
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=rounding)

    def as_dict(self) -> dict[str, Any]:
        """Totals and shares, as the budget form shows them while the user types."""
        return {
            "government_krw": self.government_krw,
            "firm_cash_krw": self.firm_cash_krw,
            "firm_inkind_krw": self.firm_inkind_krw,
            "firm_krw": self.firm_krw,
            "total_krw": self.total_krw,
            "government_share": str(self.share(self.government_krw)),
            "firm_share": str(self.share(self.firm_krw)),
            "cash_share": str(self.share(self.firm_cash_krw, self.firm_krw)),
        }


@dataclass(frozen=True)
class Breach:
    code: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render(message_codes.rule_message_code(self.code), self.params, fallback=self.code)

    def as_data(self) -> dict[str, Any]:
        return {"code": self.code, "params": self.params}

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Breach:
        return cls(str(data["code"]), dict(data.get("params") or {}))


def won(amount: int) -> str:
    """`20,000,000` (the templates add 원): separators the same in every language."""
    return f"{amount:,}"


def percent(value: Decimal) -> str:
    """`75` or `62.5`: a percentage as staff write it."""
    text = format(value.normalize(), "f")
    return text


# --- the budget rules ---------------------------------------------------------------------------------------


def check_grant_cap(rules: CallRules, budget: Budget) -> Breach | None:
    capped = budget.total_krw if rules.cap_applies_to == "total" else budget.government_krw
    if capped > rules.grant_cap_krw:
        return Breach(
            GRANT_CAP,
            {
                "what": message(f"programmes.cap.{rules.cap_applies_to}"),
                "amount": won(capped),
                "cap": won(rules.grant_cap_krw),
            },
        )
    return None


def check_government_share(rules: CallRules, budget: Budget) -> Breach | None:
    if budget.government_krw * 100 > rules.government_share_max * budget.total_krw:
        return Breach(
            GOVERNMENT_SHARE,
            {
                "share": str(budget.share(budget.government_krw, rounding=ROUND_UP)),
                "max": percent(rules.government_share_max),
            },
        )
    return None


def check_firm_share(rules: CallRules, budget: Budget) -> Breach | None:
    # A budget of nothing at all has no firms' share: it breaks the rule rather than passing it vacuously.
    if budget.total_krw == 0 or budget.firm_krw * 100 < rules.firm_share_min * budget.total_krw:
        return Breach(
            FIRM_SHARE,
            {
                "share": str(budget.share(budget.firm_krw, rounding=ROUND_DOWN)),
                "min": percent(rules.firm_share_min),
            },
        )
    return None


def check_cash_share(rules: CallRules, budget: Budget) -> Breach | None:
    if budget.firm_krw and budget.firm_cash_krw * 100 < rules.firm_cash_share_min * budget.firm_krw:
        return Breach(
            CASH_SHARE,
            {
                "share": str(budget.share(budget.firm_cash_krw, budget.firm_krw, ROUND_DOWN)),
                "min": percent(rules.firm_cash_share_min),
            },
        )
    return None


def check_budget(rules: CallRules, budget: Budget) -> list[Breach]:
    """The budget rules alone: what the form checks while the user types."""
    checks = (check_grant_cap, check_government_share, check_firm_share, check_cash_share)
    return [breach for check in checks if (breach := check(rules, budget)) is not None]


# --- the consortium rules -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class MemberFacts:
    """What the rules need to know of one firm of a consortium, read once from the registry."""

    firm_id: int
    name: str
    division: str  # the main KSIC division (2 digits), "" if unknown
    active: bool  # the firm's status is active (not closed)
    current_member: bool  # holds a current membership of an exchange group
    earlier_applications: int  # earlier applications of this call it is in, whatever their status


def check_members(rules: CallRules, members: Sequence[MemberFacts]) -> Breach | None:
    if len(members) < rules.min_members:
        return Breach(MEMBERS, {"count": len(members), "min": rules.min_members})
    return None


def check_divisions(rules: CallRules, members: Sequence[MemberFacts]) -> Breach | None:
    divisions = {m.division for m in members if m.division}
    if len(divisions) < rules.min_divisions:
        return Breach(DIVISIONS, {"count": len(divisions), "min": rules.min_divisions})
    return None


def check_not_member(rules: CallRules, members: Sequence[MemberFacts]) -> Breach | None:
    outside = [m.name for m in members if not m.current_member]
    return Breach(NOT_MEMBER, {"firms": ", ".join(outside)}) if outside else None


def check_closed(rules: CallRules, members: Sequence[MemberFacts]) -> Breach | None:
    closed = [m.name for m in members if not m.active]
    return Breach(CLOSED, {"firms": ", ".join(closed)}) if closed else None


def check_firm_limit(rules: CallRules, members: Sequence[MemberFacts]) -> Breach | None:
    over = [m.name for m in members if m.earlier_applications >= rules.max_applications_per_firm]
    if over:
        return Breach(FIRM_LIMIT, {"firms": ", ".join(over), "max": rules.max_applications_per_firm})
    return None


def check_consortium(rules: CallRules, members: Sequence[MemberFacts]) -> list[Breach]:
    checks = (check_members, check_divisions, check_not_member, check_closed, check_firm_limit)
    return [breach for check in checks if (breach := check(rules, members)) is not None]


def check_all(rules: CallRules, budget: Budget, members: Sequence[MemberFacts]) -> list[Breach]:
    """Every rule of the call, in `RULE_CODES` order."""
    return check_budget(rules, budget) + check_consortium(rules, members)


# --- facts from the registry ----------------------------------------------------------------------------------


def member_facts(
    firm_ids: Iterable[int],
    *,
    earlier: Mapping[int, int] | None = None,
    on: datetime.date | None = None,
) -> list[MemberFacts]:
    """The facts of these firms (in the given order), with `earlier` = firm id → earlier applications.

    Three queries whatever the number of firms; imports call it once per file with every firm of the file.
    """
    from yunghap.network.models import Firm, Membership

    ids = list(dict.fromkeys(firm_ids))
    firms = {
        firm.id: firm
        for firm in Firm.objects.filter(id__in=ids)
        .select_related("industry")
        .only("id", "name", "status", "industry__code")
    }
    current = set(Membership.objects.current(on).filter(firm_id__in=ids).values_list("firm_id", flat=True))
    earlier = earlier or {}
    facts = []
    for firm_id in ids:
        firm = firms.get(firm_id)
        if firm is None:
            continue
        facts.append(
            MemberFacts(
                firm_id=firm.id,
                name=firm.name,
                division=firm.industry.code if firm.industry_id else "",
                active=firm.status == Firm.Status.ACTIVE,
                current_member=firm.id in current,
                earlier_applications=earlier.get(firm.id, 0),
            )
        )
    return facts


def earlier_applications(call: Any, firm_ids: Iterable[int], *, before: Any = None) -> dict[int, int]:
    """Firm id → how many applications of `call` recorded before `before` (an application; all if None) it
    is in, whatever their status. "Before" is the order of submission (`submitted_at`, then id); drafts not
    yet submitted do not count, withdrawn and ineligible ones do."""
    from django.db.models import Count, Q

    from .models import Application, ConsortiumMember

    applications = Application.objects.filter(call=call, submitted_at__isnull=False)
    if before is not None:
        applications = applications.exclude(pk=before.pk)
        if before.submitted_at is not None:
            applications = applications.filter(
                Q(submitted_at__lt=before.submitted_at)
                | Q(submitted_at=before.submitted_at, pk__lt=before.pk)
            )
    rows = (
        ConsortiumMember.objects.filter(consortium__application__in=applications, firm_id__in=list(firm_ids))
        .exclude(state=ConsortiumMember.State.DECLINED)
        .values("firm_id")
        .annotate(count=Count("consortium", distinct=True))
    )
    return {row["firm_id"]: row["count"] for row in rows}


def check_application(application: Any) -> list[Breach]:
    """Every rule for a stored application: its budget totals and its accepted members (lead included).
    The one-application case of `check_applications`, so that a page listing many and a page showing one
    always agree."""
    return check_applications([application])[application.pk]


def breaches_of(application: Any) -> list[Breach]:
    """The breaches stored on an application, to show (`breach.message`) or compare (`breach.code`)."""
    return [Breach.from_data(item) for item in application.breaches or []]


def check_applications(applications: Sequence[Any]) -> dict[int, list[Breach]]:
    """`check_application` for many stored applications at once (a caseload page, a report): application
    id → breaches, the same as `check_application` gives for each, in a fixed number of queries whatever
    the number of applications (their `call` should be selected with them)."""
    from collections import defaultdict

    from .models import ConsortiumMember

    applications = list(applications)
    if not applications:
        return {}
    consortium_of = {a.consortium_id: a for a in applications}
    accepted: dict[int, list[int]] = defaultdict(list)  # application id → accepted firm ids (lead first)
    for consortium_id, firm_id in (
        ConsortiumMember.objects.filter(
            consortium__in=list(consortium_of), state=ConsortiumMember.State.ACCEPTED
        )
        .order_by("role", "id")
        .values_list("consortium_id", "firm_id")
    ):
        accepted[consortium_of[consortium_id].pk].append(firm_id)
    # Every submitted application of these calls with its members (not declined): for "earlier".
    call_ids = {a.call_id for a in applications}
    submitted: dict[int, tuple[int, Any]] = {}  # application id → (call id, submitted_at)
    members_of: dict[int, set[int]] = defaultdict(set)
    for app_id, call_id, submitted_at, firm_id in (
        ConsortiumMember.objects.filter(
            consortium__application__call_id__in=call_ids,
            consortium__application__submitted_at__isnull=False,
        )
        .exclude(state=ConsortiumMember.State.DECLINED)
        .values_list(
            "consortium__application",
            "consortium__application__call_id",
            "consortium__application__submitted_at",
            "firm_id",
        )
    ):
        submitted[app_id] = (call_id, submitted_at)
        members_of[app_id].add(firm_id)
    all_firms = {firm_id for ids in accepted.values() for firm_id in ids}
    facts = {fact.firm_id: fact for fact in member_facts(all_firms)}
    results: dict[int, list[Breach]] = {}
    for application in applications:
        mine = application.submitted_at
        earlier: dict[int, int] = defaultdict(int)
        for other_id, (call_id, other_at) in submitted.items():
            if call_id != application.call_id or other_id == application.pk:
                continue
            if mine is not None and not (other_at < mine or (other_at == mine and other_id < application.pk)):
                continue
            for firm_id in members_of[other_id]:
                earlier[firm_id] += 1
        own = [
            replace(facts[firm_id], earlier_applications=earlier.get(firm_id, 0))
            for firm_id in dict.fromkeys(accepted.get(application.pk, []))
            if firm_id in facts
        ]
        results[application.pk] = check_all(CallRules.of(application.call), Budget.of(application), own)
    return results
