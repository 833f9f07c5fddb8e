"""Competition pages under /competitions/ (namespace `competitions:`)."""

from django.urls import URLPattern, URLResolver, path

from . import views

app_name = "competitions"

urlpatterns: list[URLPattern | URLResolver] = [
    path("entries/", views.my_entries, name="my_entries"),
    path("entries/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/submit/", views.entry_submit, name="entry_submit"),
    path("entries/<int:pk>/withdraw/", views.entry_withdraw, name="entry_withdraw"),
    path("entries/<int:pk>/story/", views.make_story, name="make_story"),
    path("reviews/", views.queue, name="queue"),
    path("reviews/<int:pk>/", views.score, name="score"),
    path("<slug:code>/", views.detail, name="detail"),
    path("<slug:code>/setup/", views.setup, name="setup"),
    path("<slug:code>/enter/", views.enter, name="enter"),
    path("<slug:code>/reviewers/", views.reviewers, name="reviewers"),
    path("<slug:code>/reviewers/auto/", views.auto_assign, name="auto_assign"),
    path("<slug:code>/ranking/", views.ranking, name="ranking"),
    path("<slug:code>/awards/", views.awards, name="awards"),
]
