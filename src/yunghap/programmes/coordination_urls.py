"""The coordination pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import coordination_views as views

urlpatterns: list = [
    path("caseload/", views.caseload, name="coordinator_caseload"),
    path("applications/<int:pk>/pre-planning/", views.pre_planning, name="pre_planning"),
]
