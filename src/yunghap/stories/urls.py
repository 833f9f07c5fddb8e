"""/stories/: the public view at the top, the staff view under manage/ (namespace `stories`)."""

from django.urls import path

from . import views

app_name = "stories"

urlpatterns: list = [
    path("", views.public_list, name="public_list"),
    path("<int:pk>/", views.public_detail, name="public_detail"),
    path("manage/", views.story_list, name="list"),
    path("manage/start/<int:agreement>/", views.story_start, name="start"),
    path("manage/<int:pk>/", views.story_detail, name="detail"),
    path("manage/<int:pk>/edit/", views.story_edit, name="edit"),
    path("manage/<int:pk>/<slug:action>/", views.story_act, name="act"),
]
