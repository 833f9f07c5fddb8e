from django.urls import path

from . import board, posting_views, search_views
from .vocabulary_urls import urlpatterns as vocabulary_urlpatterns

app_name = "matching"

urlpatterns: list = [
    *vocabulary_urlpatterns,
    # Offers and needs (기술 제공·수요): a firm's own, and their review.
    path("postings/", posting_views.my_postings, name="posting_list"),
    path("postings/new/", posting_views.posting_create, name="posting_create"),
    path("postings/<int:pk>/edit/", posting_views.posting_edit, name="posting_edit"),
    path("postings/review/", posting_views.review_queue, name="review_queue"),
    path("postings/<int:pk>/review/", posting_views.review, name="posting_review"),
    path("postings/review/count/", posting_views.review_count, name="review_count"),
    # The board of what one may see (기술 게시판).
    path("board/", board.board, name="board"),
    # Saved searches.
    path("searches/", search_views.saved_search_list, name="saved_search_list"),
    path("searches/<int:pk>/", search_views.saved_search_detail, name="saved_search_detail"),
    path("searches/<int:pk>/delete/", search_views.saved_search_delete, name="saved_search_delete"),
]
