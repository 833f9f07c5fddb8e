"""The selection pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import selection_views as views

urlpatterns: list = [
    path("calls/<slug:code>/selection/", views.selection_proposal, name="selection_proposal"),
    path("calls/<slug:code>/selection/confirm/", views.selection_confirm, name="selection_confirm"),
    path("calls/<slug:code>/selection/record/", views.selection_record, name="selection_record"),
    path(
        "calls/<slug:code>/selection/record/download/",
        views.selection_record_download,
        name="selection_record_download",
    ),
    path("applications/<int:pk>/result/", views.application_result, name="application_result"),
]
