"""Routes of the events app: check-in (list and QR), certificates and their public verification (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver

urlpatterns: list[URLPattern | URLResolver] = []
