"""Events pages under /events/ (namespace `events:`). Each concept keeps its routes in its own module."""

from django.urls import URLPattern, URLResolver

from . import attendance_urls, event_urls, feed_urls, feedback_urls

app_name = "events"

urlpatterns: list[URLPattern | URLResolver] = [
    *event_urls.urlpatterns,
    *attendance_urls.urlpatterns,
    *feed_urls.urlpatterns,
    *feedback_urls.urlpatterns,
]
