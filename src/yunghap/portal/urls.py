"""The public portal at the site's root (namespace `portal`): home, notices, library, search, terms, the
feed, sitemap.xml and robots.txt; the staff's post pages under notices/manage/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_GET

from . import views
from .caching import public_page
from .feeds import NoticeFeed
from .sitemaps import SITEMAPS

app_name = "portal"

urlpatterns: list = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("notices/", views.notice_list, name="notice_list"),
    path("notices/feed.xml", require_GET(public_page(300)(NoticeFeed())), name="notice_feed"),
    path("notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("notices/manage/", views.manage, name="manage"),
    path("notices/manage/<slug:kind>/new/", views.post_create, name="post_create"),
    path("notices/manage/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("notices/manage/<int:pk>/delete/", views.post_delete, name="post_delete"),
    path("library/", views.library_list, name="library_list"),
    path("library/<int:pk>/", views.library_detail, name="library_detail"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("terms/", views.terms, name="terms"),
    path("sitemap.xml", require_GET(public_page(300)(sitemap)), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots, name="robots"),
]
