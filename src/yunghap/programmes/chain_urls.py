"""The traceable chain and the funnel (included by programmes/urls.py)."""

from django.urls import path

from . import chain_views, funnel_views

urlpatterns: list = [
    path("results/<int:pk>/chain/", chain_views.result_chain, name="result_chain"),
    path("funnel/", funnel_views.funnel, name="funnel"),
]
