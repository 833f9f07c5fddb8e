from django.urls import path

from . import vocabulary_views

urlpatterns = [
    path("vocabulary/", vocabulary_views.vocabulary_list, name="vocabulary_list"),
    path("vocabulary/new/", vocabulary_views.vocabulary_create, name="vocabulary_create"),
    path("vocabulary/<int:pk>/", vocabulary_views.vocabulary_edit, name="vocabulary_edit"),
    path("vocabulary/<int:pk>/delete/", vocabulary_views.vocabulary_delete, name="vocabulary_delete"),
]
