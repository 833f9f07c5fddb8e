"""Routes of the events app: the calendar, event and session pages, registration, my registrations (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
