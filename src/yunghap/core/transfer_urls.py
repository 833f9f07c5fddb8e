from django.urls import path

from . import transfer_views as views

app_name = "transfer"

urlpatterns = [
    path("", views.transfer_home, name="home"),
    path("import/", views.import_check, name="import-check"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
    path("import/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("import/<int:pk>/commit/", views.import_commit, name="import-commit"),
    path("import/<int:pk>/errors.csv", views.import_errors, name="import-errors"),
    path("export/<str:kind>.<str:fmt>", views.export_download, name="export"),
    path("template/<str:kind>.xlsx", views.import_template, name="import-template"),
]
