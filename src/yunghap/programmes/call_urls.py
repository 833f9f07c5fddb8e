"""The call pages of the programmes (included by programmes/urls.py), and the programmes hub."""

from django.urls import path

from . import call_views

urlpatterns: list = [
    path("", call_views.home, name="home"),
    path("calls/", call_views.call_list, name="call_list"),
    path("calls/new/", call_views.call_create, name="call_create"),
    path("calls/<slug:code>/", call_views.call_detail, name="call_detail"),
    path("calls/<slug:code>/edit/", call_views.call_edit, name="call_edit"),
    path("calls/<slug:code>/publish/", call_views.call_publish, name="call_publish"),
    path("calls/<slug:code>/correct/", call_views.call_correct, name="call_correct"),
    path("cost-categories/", call_views.cost_category_list, name="cost_category_list"),
]
