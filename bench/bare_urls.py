"""The project's URLs plus `bench/bare/`: the reference page that does one query and renders nothing.

Only the HTTP benchmark uses it (through bench.bench_settings); it goes through the full middleware stack.
"""

from django.http import HttpResponse
from django.urls import include, path

from yunghap.network.models import ExchangeGroup


def bare(request):
    return HttpResponse(str(ExchangeGroup.objects.count()), content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("", include("yunghap.urls")),
]
