"""Routes of the events app: iCalendar feeds per region and per user, notification settings (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
