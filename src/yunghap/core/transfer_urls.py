from django.urls import path

from . import transfer_views as views

app_name = "transfer"

urlpatterns = [
    path("", views.transfer_home, name="home"),
    path("import/", views.import_check, name="import_check"),
    path("import/<int:pk>/", views.import_job, name="import_job"),
    path("import/<int:pk>/progress/", views.import_progress, name="import_progress"),
    path("import/<int:pk>/commit/", views.import_commit, name="import_commit"),
    path("import/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
    path("export/<str:kind>.<str:fmt>", views.export_download, name="export"),
    path("template/<str:kind>.xlsx", views.import_template, name="import_template"),
]
