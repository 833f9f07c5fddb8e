from django.urls import path

from . import postings, search_views, views

app_name = "introductions"

urlpatterns = [
    path("", views.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("caseload/firms/<int:pk>/", views.caseload_firm, name="caseload-firm"),
    path("new/", views.create, name="create"),
    path("list/", views.introduction_list, name="list"),
    path("postings/", postings.my_postings, name="my-postings"),
    path("postings/new/", postings.posting_create, name="posting-create"),
    path("postings/<int:pk>/edit/", postings.posting_edit, name="posting-edit"),
    path("postings/review/", postings.review_queue, name="review-queue"),
    path("postings/<int:pk>/review/", postings.review, name="posting-review"),
    path("searches/", search_views.saved_search_list, name="saved-searches"),
    path("searches/<int:pk>/", search_views.saved_search_detail, name="saved-search"),
    path("searches/<int:pk>/delete/", search_views.saved_search_delete, name="saved-search-delete"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
