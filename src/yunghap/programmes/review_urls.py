"""The review pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import review_views as views

urlpatterns: list = [
    path("reviewers/", views.reviewer_list, name="reviewer_list"),
    path("reviewers/<int:pk>/", views.reviewer_detail, name="reviewer_detail"),
    path("reviewers/<int:pk>/edit/", views.reviewer_edit, name="reviewer_edit"),
    path("reviewers/<int:pk>/conflicts/", views.reviewer_conflict_add, name="reviewer_conflict_add"),
    path("calls/<slug:code>/assignments/", views.call_assignments, name="call_assignments"),
    path("calls/<slug:code>/assignments/auto/", views.call_assign_auto, name="call_assign_auto"),
    path("calls/<slug:code>/assignments/add/", views.call_assign, name="call_assign"),
    path("calls/<slug:code>/assignments/<int:pk>/remove/", views.call_unassign, name="call_unassign"),
    path("reviews/", views.review_queue, name="review_queue"),
    path("reviews/<int:pk>/declare/", views.review_declare, name="review_declare"),
    path("reviews/<int:pk>/score/", views.review_score, name="review_score"),
    path("reviews/<int:pk>/recuse/", views.review_recuse, name="review_recuse"),
]
