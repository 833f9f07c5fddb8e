from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.trends_page, name="trends"),
    path("survey/", views.survey_report_page, name="survey"),
    path("report/", views.print_report, name="print"),
    path("groups/<slug:code>/", views.group_figures, name="group"),
]
