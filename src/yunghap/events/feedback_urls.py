"""Routes of the events app: the satisfaction survey and its results (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
