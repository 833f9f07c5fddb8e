"""The topic pages of the programmes (included by programmes/urls.py)."""

from django.urls import path

from . import topic_views

urlpatterns: list = [
    path("topics/", topic_views.topic_list, name="topic_list"),
    path("topics/new/", topic_views.topic_create, name="topic_create"),
    path("topics/<slug:code>/", topic_views.topic_detail, name="topic_detail"),
    path("topics/<slug:code>/edit/", topic_views.topic_edit, name="topic_edit"),
    path("topics/<slug:code>/screen/", topic_views.topic_screen, name="topic_screen"),
]
