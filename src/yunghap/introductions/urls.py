from collections.abc import Callable

from django.http import HttpResponseBase
from django.urls import path
from django.views.generic import RedirectView

from . import request_views, views

app_name = "introductions"


def moved(to: str) -> Callable[..., HttpResponseBase]:
    """Postings and saved searches moved to /matching/ (issue 8): old links and bookmarks still arrive."""
    return RedirectView.as_view(url=f"/matching/{to}", permanent=True, query_string=True)


urlpatterns = [
    path("", views.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/firms/<int:pk>/", views.caseload_firm, name="caseload_firm"),
    path("new/", views.create, name="create"),
    path("list/", views.introduction_list, name="list"),
    # Unnamed: nothing links here any more; the permission matrix covers the pages they lead to.
    path("postings/", moved("postings/")),
    path("postings/new/", moved("postings/new/")),
    path("postings/<int:pk>/edit/", moved("postings/%(pk)s/edit/")),
    path("postings/review/", moved("postings/review/")),
    path("searches/", moved("searches/")),
    path("searches/<int:pk>/", moved("searches/%(pk)s/")),
    # Firms' public profile cards and '소개 요청' from the board (issue 8 §6).
    path("firms/<int:pk>/card/", request_views.firm_card, name="firm_card"),
    path("requests/", request_views.request_list, name="requests"),
    path("requests/new/<int:posting>/", request_views.request_create, name="request_create"),
    path("requests/<int:pk>/<slug:action>/", request_views.request_act, name="request_act"),
    path("<int:pk>/notes/", request_views.note_add, name="note_add"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
