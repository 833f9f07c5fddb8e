"""Routes of the events app: iCalendar feeds per region and per user, notification settings (included by `events/urls.py`)."""

from django.urls import URLPattern, URLResolver, path

from . import feed_views

urlpatterns: list[URLPattern | URLResolver] = [
    path("feeds/region/<slug:code>.ics", feed_views.region_feed, name="region_feed"),
    path("feeds/u/<str:token>.ics", feed_views.user_feed, name="user_feed"),
    path("feeds/notices/", feed_views.notice_settings, name="notice_settings"),
    path("feeds/mine/", feed_views.feed_settings, name="feed_settings"),
]
