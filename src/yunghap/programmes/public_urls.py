"""Public pages of the programmes (namespace `public_programmes`): open calls and project discovery."""

from django.urls import path

from . import public_views as views

app_name = "public_programmes"

urlpatterns = [
    path("open-calls/", views.call_list, name="call_list"),
    path("open-calls/<slug:code>/", views.call_detail, name="call_detail"),
    path("discovery/", views.topic_list, name="topic_list"),
    path("discovery/<slug:code>/", views.topic_detail, name="topic_detail"),
    path("discovery/<slug:code>/interest/", views.topic_interest, name="topic_interest"),
]
