from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("groups/<slug:code>/", views.group_ledger, name="group-ledger"),
    path("groups/<slug:code>/meetings/", views.meeting_list, name="meeting-list"),
    path("groups/<slug:code>/meetings/new/", views.meeting_create, name="meeting-create"),
    path("groups/<slug:code>/trades/", views.trade_list, name="trade-list"),
    path("groups/<slug:code>/trades/new/", views.trade_create, name="trade-create"),
    path("groups/<slug:code>/outcomes/", views.outcome_list, name="outcome-list"),
    path("groups/<slug:code>/outcomes/new/", views.outcome_create, name="outcome-create"),
    path("groups/<slug:code>/activities/", views.activity_list, name="activity-list"),
    path("groups/<slug:code>/activities/new/", views.activity_create, name="activity-create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting-edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting-delete"),
    path("<str:kind>/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("<str:kind>/<int:pk>/restore/", views.entry_restore, name="entry-restore"),
    path("outcomes/<int:pk>/evidence/", views.outcome_evidence, name="outcome-evidence"),
]
