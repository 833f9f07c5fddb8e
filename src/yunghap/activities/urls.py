from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("groups/<slug:code>/", views.group_ledger, name="group_ledger"),
    path("groups/<slug:code>/meetings/", views.meeting_list, name="meeting_list"),
    path("groups/<slug:code>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("groups/<slug:code>/trades/", views.trade_list, name="trade_list"),
    path("groups/<slug:code>/trades/new/", views.trade_create, name="trade_create"),
    path("groups/<slug:code>/outcomes/", views.outcome_list, name="outcome_list"),
    path("groups/<slug:code>/outcomes/new/", views.outcome_create, name="outcome_create"),
    path("groups/<slug:code>/activities/", views.activity_list, name="activity_list"),
    path("groups/<slug:code>/activities/new/", views.activity_create, name="activity_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("<str:kind>/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("<str:kind>/<int:pk>/restore/", views.entry_restore, name="entry_restore"),
    path("outcomes/<int:pk>/evidence/", views.outcome_evidence, name="outcome_evidence"),
]
