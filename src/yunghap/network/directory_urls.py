"""The public directory, mounted at /directory/ (namespace `directory`)."""

from django.urls import path

from . import directory_views as views

app_name = "directory"

urlpatterns = [
    path("groups/", views.group_list, name="group_list"),
    path("groups/<slug:code>/", views.group_detail, name="group_detail"),
    path("firms/", views.firm_list, name="firm_list"),
    path("firms/<slug:public_id>/", views.firm_detail, name="firm_detail"),
    path("mine/", views.mine, name="mine"),
    path("mine/<str:brn>/consent/", views.consent, name="consent"),
    path("mine/<str:brn>/withdraw/", views.withdraw, name="withdraw"),
]
