"""Coaching pages under /coaching/ (namespace `coaching:`)."""

from django.urls import path

from . import mentoring_views, views

app_name = "coaching"

urlpatterns: list = [
    path("", views.caseload, name="caseload"),
    path("sessions/", views.session_list, name="session_list"),
    path("sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session_detail"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/steps/", views.next_step_add, name="next_step_add"),
    path("sessions/<int:pk>/notes/", views.note_add, name="note_add"),
    path("steps/<int:pk>/done/", views.next_step_done, name="next_step_done"),
    path("settings/", views.coaching_settings, name="settings"),
    path("mentoring/", mentoring_views.mentorship_list, name="mentorship_list"),
    path("mentoring/new/", mentoring_views.mentorship_create, name="mentorship_create"),
    path("mentoring/suggestions/", mentoring_views.mentor_suggestions, name="mentor_suggestions"),
    path("mentoring/<int:pk>/", mentoring_views.mentorship_detail, name="mentorship_detail"),
    path("mentoring/<int:pk>/<slug:move>/", mentoring_views.mentorship_move, name="mentorship_move"),
    path(
        "mentoring/<int:pk>/sessions/add/",
        mentoring_views.mentoring_session_add,
        name="mentoring_session_add",
    ),
    path("mentoring/<int:pk>/review/add/", mentoring_views.mentorship_review, name="mentorship_review"),
]
