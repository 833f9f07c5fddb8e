"""The project's URLs plus one view that fails, to see the 500 page (tests/web/test_error_pages.py)."""

from django.urls import path

from yunghap.urls import handler400, handler403, handler404, handler500
from yunghap.urls import urlpatterns as project_urls


def boom(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", boom), *project_urls]
__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]
