"""The matching funds and the settlement (입금·지급·집행·정산; included by programmes/urls.py)."""

from django.urls import path

from . import fund_views as views

urlpatterns: list = [
    path("agreements/<int:pk>/funds/", views.agreement_funds, name="agreement_funds"),
    path("agreements/<int:pk>/funds/deposits/", views.fund_deposit_add, name="fund_deposit_add"),
    path("agreements/<int:pk>/funds/payments/", views.fund_payment_add, name="fund_payment_add"),
    path("agreements/<int:pk>/funds/spending/", views.fund_spending_add, name="fund_spending_add"),
    path("spending/<int:pk>/evidence/", views.spending_evidence, name="spending_evidence"),
    path("agreements/<int:pk>/settlement/", views.settlement_detail, name="settlement_detail"),
    path("agreements/<int:pk>/settlement/close/", views.settlement_close, name="settlement_close"),
    path("settlements/overdue/", views.settlement_overdue, name="settlement_overdue"),
    path("receivables/", views.receivable_list, name="receivable_list"),
    path("receivables/<int:pk>/repay/", views.receivable_repay, name="receivable_repay"),
    path(
        "calls/<slug:code>/settlement/download/",
        views.call_settlement_download,
        name="call_settlement_download",
    ),
]
