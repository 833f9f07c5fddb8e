"""Support programmes (plan items 5 and 6): topics, calls with their rules, consortia and applications,
review without conflicts, selection within budget. One module per concept; import models from here."""

from .agreement_terms import (
    AgreementConfirmation,
    AgreementTerms,
    ChangeItem,
    ChangeRequest,
    Milestone,
    PaymentInstalment,
)
from .agreements import Agreement, AgreementBudgetLine, Deposit, GovernmentPayment, Spending
from .applications import (
    Application,
    ApplicationBudgetLine,
    ApplicationRevision,
    Consortium,
    ConsortiumMember,
    PrePlanningNote,
)
from .calls import Call, CallRevision, CostCategory
from .reference import GrowthEngine
from .reports import Report
from .results import FollowUp, ProgressRules, ReportNotice, ResultIndicators
from .reviews import DeclaredConflict, Review, ReviewAssignment, Reviewer
from .selections import SelectionDecision, SelectionResult
from .settlements import Receivable, Repayment, Settlement
from .topics import Topic, TopicInterest

__all__ = [
    "Agreement",
    "AgreementBudgetLine",
    "Deposit",
    "GovernmentPayment",
    "Spending",
    "Application",
    "ApplicationBudgetLine",
    "ApplicationRevision",
    "Call",
    "CallRevision",
    "Consortium",
    "ConsortiumMember",
    "CostCategory",
    "DeclaredConflict",
    "GrowthEngine",
    "PrePlanningNote",
    "Report",
    "Review",
    "ReviewAssignment",
    "Reviewer",
    "SelectionDecision",
    "SelectionResult",
    "Topic",
    "TopicInterest",
    "AgreementConfirmation",
    "AgreementTerms",
    "ChangeItem",
    "ChangeRequest",
    "Milestone",
    "PaymentInstalment",
    "Receivable",
    "Repayment",
    "Settlement",
    "FollowUp",
    "ProgressRules",
    "ReportNotice",
    "ResultIndicators",
]
