"""Routes of the events app: check-in (list and QR), certificates and their public verification (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver, path

from . import attendance_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("attendance/", views.attendance_index, name="attendance_index"),
    path("attendance/sessions/<int:pk>/", views.attendance_list, name="attendance_list"),
    path(
        "attendance/sessions/<int:pk>/registrations/<int:registration>/",
        views.attendance_record,
        name="attendance_record",
    ),
    path("attendance/sessions/<int:pk>/scan/", views.attendance_scan, name="attendance_scan"),
    path("registrations/<int:pk>/pass/", views.registration_pass, name="registration_pass"),
    path("certificates/<int:pk>/download/", views.certificate_download, name="certificate_download"),
    path("certificates/verify/", views.certificate_verify, name="certificate_verify"),
    path("history/", views.my_history, name="my_history"),
]
