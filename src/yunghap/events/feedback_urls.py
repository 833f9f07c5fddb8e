"""Routes of the events app: the satisfaction survey and its results (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver, path

from . import feedback_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("<slug:code>/feedback/", feedback_views.feedback_form, name="feedback_form"),
    path("feedback/answer/<str:token>/", feedback_views.feedback_link, name="feedback_link"),
    path("<slug:code>/feedback/results/", feedback_views.feedback_results, name="feedback_results"),
    path("<slug:code>/feedback/settings/", feedback_views.feedback_settings, name="feedback_settings"),
]
