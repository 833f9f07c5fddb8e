"""The call rules at their boundaries, as a table other tests reuse (the rules functions, the applications
import, the web form): each case is a description, the call's rule overrides, a budget, the members (lead
first) and the codes expected, in `programmes.rules.RULE_CODES` order.

A member is a `Member`: its main KSIC division, whether it is active (not closed), whether it holds a
current membership of an exchange group, and in how many earlier applications of the call it already is.
The plan's rules apply unless a case overrides them: 20,000,000 KRW government grant cap, government
≤ 75 %, firms ≥ 25 %, cash ≥ 20 % of the firms' share, 3 members, 2 divisions, 1 application per firm.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yunghap.programmes.models.calls import DEFAULT_RULES
from yunghap.programmes.rules import Budget, CallRules, MemberFacts


@dataclass(frozen=True)
class Member:
    division: str = "26"
    active: bool = True
    current_member: bool = True
    earlier: int = 0


@dataclass(frozen=True)
class RuleCase:
    description: str
    budget: Budget
    members: tuple[Member, ...]
    expected: tuple[str, ...]
    rules: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.description

    def call_rules(self) -> CallRules:
        return CallRules(**{**DEFAULT_RULES, **self.rules})

    def member_facts(self) -> list[MemberFacts]:
        return [
            MemberFacts(
                firm_id=index + 1,
                name=f"기업{index + 1}",
                division=member.division,
                active=member.active,
                current_member=member.current_member,
                earlier_applications=member.earlier,
            )
            for index, member in enumerate(self.members)
        ]


PLAN_BUDGET = Budget(15_000_000, 1_000_000, 4_000_000)  # 75 % exactly, 25 % exactly, cash 20 % exactly
THREE = (Member("26"), Member("30"), Member("29"))  # three members, three divisions, all in order

CASES: list[RuleCase] = [
    # --- the budget
    RuleCase("the plan's budget: exactly 75 %, 25 % and cash exactly 20 %", PLAN_BUDGET, THREE, ()),
    RuleCase(
        "the grant exactly at the cap, shares at their limits",
        Budget(20_000_000, 1_400_000, 5_266_667),
        THREE,
        (),
    ),
    RuleCase(
        "one won over the cap (shares still exactly 75 %)",
        Budget(20_000_001, 1_400_000, 5_266_667),
        THREE,
        ("grant_cap",),
    ),
    RuleCase(
        "one won of government over 75 % (and so the firms under 25 %)",
        Budget(15_000_001, 1_000_000, 4_000_000),
        THREE,
        ("government_share", "firm_share"),
    ),
    RuleCase(
        "government over 75 % alone when the firms' minimum is 20 %",
        Budget(15_000_001, 1_000_000, 4_000_000),
        THREE,
        ("government_share",),
        {"firm_share_min": 20},
    ),
    RuleCase(
        "firms one won under 25 % alone when the government may have 80 %",
        Budget(15_000_001, 1_000_000, 4_000_000),
        THREE,
        ("firm_share",),
        {"government_share_max": 80},
    ),
    RuleCase(
        "cash one won under 20 % of the firms' share",
        Budget(15_000_000, 999_999, 4_000_001),
        THREE,
        ("cash_share",),
    ),
    RuleCase("all in cash", Budget(15_000_000, 5_000_000, 0), THREE, ()),
    RuleCase("a budget of nothing at all", Budget(0, 0, 0), THREE, ("firm_share",)),
    RuleCase(
        "the cap on the total cost: exactly at it",
        PLAN_BUDGET,
        THREE,
        (),
        {"cap_applies_to": "total"},
    ),
    RuleCase(
        "the cap on the total cost: one won over it",
        Budget(15_000_000, 1_000_001, 4_000_000),
        THREE,
        ("grant_cap",),
        {"cap_applies_to": "total"},
    ),
    # --- the members
    RuleCase(
        "exactly three members in two divisions", PLAN_BUDGET, (Member("26"), Member("30"), Member("26")), ()
    ),
    RuleCase("two members", PLAN_BUDGET, (Member("26"), Member("30")), ("members",)),
    RuleCase(
        "the lead alone when one member is enough",
        PLAN_BUDGET,
        (Member("26"),),
        (),
        {"min_members": 1, "min_divisions": 1},
    ),
    RuleCase(
        "three members in one division",
        PLAN_BUDGET,
        (Member("26"), Member("26"), Member("26")),
        ("divisions",),
    ),
    RuleCase(
        "three divisions needed, three found",
        PLAN_BUDGET,
        THREE,
        (),
        {"min_divisions": 3},
    ),
    RuleCase(
        "a partner with no current membership",
        PLAN_BUDGET,
        (Member("26"), Member("30"), Member("29", current_member=False)),
        ("not_member",),
    ),
    RuleCase(
        "a closed partner",
        PLAN_BUDGET,
        (Member("26"), Member("30"), Member("29", active=False)),
        ("closed",),
    ),
    RuleCase(
        "a partner already in one earlier application (one allowed)",
        PLAN_BUDGET,
        (Member("26"), Member("30", earlier=1), Member("29")),
        ("firm_limit",),
    ),
    RuleCase(
        "a partner in one earlier application when two are allowed",
        PLAN_BUDGET,
        (Member("26"), Member("30", earlier=1), Member("29")),
        (),
        {"max_applications_per_firm": 2},
    ),
    RuleCase(
        "a lead in two earlier applications when two are allowed",
        PLAN_BUDGET,
        (Member("26", earlier=2), Member("30"), Member("29")),
        ("firm_limit",),
        {"max_applications_per_firm": 2},
    ),
    # --- everything at once, in the order of RULE_CODES
    RuleCase(
        "every rule broken",
        Budget(20_000_001, 0, 0),
        (Member("26", active=False, current_member=False, earlier=1),),
        (
            "grant_cap",
            "government_share",
            "firm_share",
            "members",
            "divisions",
            "not_member",
            "closed",
            "firm_limit",
        ),
    ),
    RuleCase(
        "every member rule broken, the budget right",
        PLAN_BUDGET,
        (Member("26", earlier=1), Member("26", active=False, current_member=False)),
        ("members", "divisions", "not_member", "closed", "firm_limit"),
    ),
]
