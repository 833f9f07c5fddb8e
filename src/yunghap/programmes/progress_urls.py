"""The pages of agreements' reports, grades, results and follow-ups (included by programmes/urls.py)."""

from django.urls import path

from . import progress_views as views

urlpatterns: list = [
    path("agreements/<int:pk>/reports/", views.agreement_reports, name="agreement_reports"),
    path("agreements/<int:pk>/grade/", views.agreement_grade, name="agreement_grade"),
    path("agreements/<int:pk>/indicators/", views.agreement_indicators, name="agreement_indicators"),
    path("progress-reports/due/", views.report_due_list, name="report_due_list"),
    path("progress-reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("progress-reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("progress-reports/<int:pk>/skip/", views.report_skip, name="report_skip"),
    path("progress-reports/<int:pk>/file/", views.report_file, name="report_file"),
    path("followups/<int:pk>/answer/", views.followup_answer, name="followup_answer"),
]
