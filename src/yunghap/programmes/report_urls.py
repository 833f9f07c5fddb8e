"""The staff list of a call's applications and its download (included by programmes/urls.py)."""

from django.urls import path

from . import report_views as views

urlpatterns: list = [
    path("calls/<slug:code>/applications/", views.call_applications, name="call_applications"),
    path(
        "calls/<slug:code>/applications/download/",
        views.call_applications_download,
        name="call_applications_download",
    ),
]
