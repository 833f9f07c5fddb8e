"""The settlement and the matching-fund rules at their boundaries (pure functions, integer won)."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from yunghap.programmes import funds
from yunghap.programmes.settlement import Line, SpendingRow, compute

LINES = [Line("personnel", 15_000_000, 4_000_000, 0), Line("materials", 5_000_000, 1_000_000, 1_666_667)]


def test_eligible_spending_is_capped_per_category_and_due_share_rounds_down():
    spending = [
        SpendingRow("personnel", 19_000_001, True),  # one won over the category's budget
        SpendingRow("materials", 3_000_000, True),
        SpendingRow("materials", 500_000, False),  # recorded, not recognised
    ]
    result = compute(grant_krw=20_000_000, lines=LINES, spending=spending, government_paid_krw=20_000_000)
    assert result.approved_total_krw == 26_666_667
    assert result.spent_krw == 22_500_001
    assert result.eligible_krw == 22_000_000
    # 20,000,000 × 22,000,000 / 26,666,667 = 16,499,999.79… → rounded down
    assert result.government_due_krw == 16_499_999
    assert result.recovery_krw == 3_500_001
    assert next(c for c in result.categories if c["category"] == "personnel") == {
        "category": "personnel",
        "budget_krw": 19_000_000,
        "spent_krw": 19_000_001,
        "eligible_krw": 19_000_000,
    }


def test_everything_spent_recovers_nothing():
    spending = [SpendingRow("personnel", 19_000_000, True), SpendingRow("materials", 7_666_667, True)]
    result = compute(grant_krw=20_000_000, lines=LINES, spending=spending, government_paid_krw=20_000_000)
    assert (result.government_due_krw, result.recovery_krw) == (20_000_000, 0)


def test_unpaid_grant_recovers_nothing():
    result = compute(grant_krw=20_000_000, lines=LINES, spending=[], government_paid_krw=0)
    assert (result.eligible_krw, result.government_due_krw, result.recovery_krw) == (0, 0, 0)


@given(
    grant=st.integers(0, 10**9),
    amounts=st.lists(
        st.tuples(st.integers(0, 10**9), st.integers(0, 10**9), st.integers(0, 10**9)), max_size=7
    ),
    spent=st.lists(st.tuples(st.integers(0, 6), st.integers(1, 10**9), st.booleans()), max_size=20),
)
def test_due_share_never_exceeds_the_grant_or_r_times_e(grant, amounts, spent):
    lines = [Line(f"c{i}", g, c, k) for i, (g, c, k) in enumerate(amounts)]
    rows = [SpendingRow(f"c{i}", amount, ok) for i, amount, ok in spent]
    result = compute(grant_krw=grant, lines=lines, spending=rows, government_paid_krw=grant)
    assert 0 <= result.government_due_krw <= grant
    total = sum(line.total_krw for line in lines)
    government = sum(line.government_krw for line in lines)
    if total:
        assert result.government_due_krw * total <= government * result.eligible_krw
    assert result.recovery_krw == grant - result.government_due_krw


def test_payment_waits_for_the_whole_cash_share_dated_on_or_before_it():
    deposits = [(date(2027, 3, 1), 4_000_000), (date(2027, 3, 10), 1_000_000)]
    early = funds.payment_breach(
        grant_krw=20_000_000,
        firm_cash_krw=5_000_000,
        deposits=deposits,
        paid_on=date(2027, 3, 9),
        paid_so_far_krw=0,
        amount_krw=10_000_000,
    )
    assert early is not None and early.code == "funds.payment_before_deposit"
    assert early.message == (
        "기업부담 현금 5,000,000원 중 4,000,000원만 2027-03-09까지 입금되어 정부지원금을 지급할 수 없습니다"
        "(기업부담 현금 전액 입금 후 지급)."
    )
    on_the_day = funds.payment_breach(
        grant_krw=20_000_000,
        firm_cash_krw=5_000_000,
        deposits=deposits,
        paid_on=date(2027, 3, 10),
        paid_so_far_krw=10_000_000,
        amount_krw=10_000_000,
    )
    assert on_the_day is None


def test_payments_never_exceed_the_grant():
    breach = funds.payment_breach(
        grant_krw=20_000_000,
        firm_cash_krw=0,
        deposits=[],
        paid_on=date(2027, 3, 9),
        paid_so_far_krw=15_000_000,
        amount_krw=5_000_001,
    )
    assert breach is not None and breach.message == (
        "지급액 합계 20,000,001원이 정부지원금 20,000,000원을 넘습니다(남은 지급 가능액 5,000,000원)."
    )


def test_spending_on_the_first_and_last_day_counts_the_day_after_does_not():
    period = {"starts_on": date(2027, 1, 1), "ends_on": date(2027, 12, 31)}
    assert funds.spending_ineligibility(spent_on=date(2027, 1, 1), evidence=True, **period) == []
    assert funds.spending_ineligibility(spent_on=date(2027, 12, 31), evidence=True, **period) == []
    assert funds.spending_ineligibility(spent_on=date(2028, 1, 1), evidence=False, **period) == [
        "outside_period",
        "no_evidence",
    ]
