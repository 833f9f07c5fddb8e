"""The application pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import application_views as views

urlpatterns: list = [
    path("calls/<slug:code>/apply/", views.application_start, name="application_start"),
    path("applications/", views.application_list, name="application_list"),
    path("applications/<int:pk>/", views.application_detail, name="application_detail"),
    path("applications/<int:pk>/edit/", views.application_edit, name="application_edit"),
    path(
        "applications/<int:pk>/budget-check/", views.application_budget_check, name="application_budget_check"
    ),
    path("applications/<int:pk>/partners/", views.application_partners, name="application_partners"),
    path(
        "applications/<int:pk>/partners/<int:place>/remove/",
        views.application_partner_remove,
        name="application_partner_remove",
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application_submit"),
    path("applications/<int:pk>/withdraw/", views.application_withdraw, name="application_withdraw"),
    path("places/<int:pk>/respond/", views.place_respond, name="place_respond"),
]
