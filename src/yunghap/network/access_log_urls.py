from django.urls import path

from . import access_log_views as views

app_name = "accesslog"

urlpatterns = [
    path("", views.log_list, name="list"),
    path("download.xlsx", views.log_download, name="download"),
    path("firms/<str:brn>/", views.firm_log, name="firm"),
]
