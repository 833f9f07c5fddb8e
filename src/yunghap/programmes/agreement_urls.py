"""The agreement pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import agreement_views as views

urlpatterns: list = [
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/confirm/", views.agreement_confirm, name="agreement_confirm"),
    path(
        "agreements/<int:pk>/milestones/add/", views.agreement_milestone_add, name="agreement_milestone_add"
    ),
    path(
        "agreements/<int:pk>/milestones/<int:milestone>/done/",
        views.agreement_milestone_done,
        name="agreement_milestone_done",
    ),
    path("agreements/<int:pk>/changes/new/", views.agreement_change_create, name="agreement_change_create"),
    path("agreements/changes/<int:pk>/", views.agreement_change_detail, name="agreement_change_detail"),
    path(
        "agreements/changes/<int:pk>/decide/", views.agreement_change_decide, name="agreement_change_decide"
    ),
    path(
        "agreements/changes/<int:pk>/withdraw/",
        views.agreement_change_withdraw,
        name="agreement_change_withdraw",
    ),
    path("agreements/<int:pk>/payment-plan/", views.agreement_payment_plan, name="agreement_payment_plan"),
    path("calls/<slug:code>/agreements/create/", views.call_agreements_create, name="call_agreements_create"),
]
