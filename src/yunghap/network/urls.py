from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("my/", views.home, name="home"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<slug:code>/", views.group_detail, name="group_detail"),
    path("groups/<slug:code>/edit/", views.group_edit, name="group_edit"),
    path("groups/<slug:code>/members/new/", views.membership_create, name="membership_create"),
    path("memberships/<int:pk>/edit/", views.membership_edit, name="membership_edit"),
    path("membership-requests/", views.membership_request_list, name="membership_request_list"),
    path(
        "membership-requests/<int:pk>/<slug:action>/",
        views.membership_request_decide,
        name="membership_request_decide",
    ),
    path("firms/", views.firm_list, name="firm_list"),
    path("firms/new/", views.firm_create, name="firm_create"),
    path("firms/<str:brn>/", views.firm_detail, name="firm_detail"),
    path("firms/<str:brn>/edit/", views.firm_edit, name="firm_edit"),
    path("federations/", views.federation_list, name="federation_list"),
    path("federations/<slug:code>/", views.federation_detail, name="federation_detail"),
]
