"""/proposals/: the public list and pages, the author's pages, the staff's queue under manage/ (namespace
`proposals`)."""

from django.urls import path

from . import views

app_name = "proposals"

urlpatterns: list = [
    path("", views.proposal_list, name="list"),
    path("mine/", views.my_proposals, name="mine"),
    path("new/", views.proposal_create, name="create"),
    path("<int:pk>/", views.proposal_detail, name="detail"),
    path("<int:pk>/edit/", views.proposal_edit, name="edit"),
    path("<int:pk>/withdraw/", views.proposal_withdraw, name="withdraw"),
    path("<int:pk>/correction/", views.correction_reply, name="correction_reply"),
    path("<int:pk>/support/", views.proposal_support, name="support"),
    path("<int:pk>/report/", views.proposal_report, name="report"),
    path("<int:pk>/files/<int:file>/", views.attachment_download, name="attachment"),
    path("manage/", views.manage_list, name="manage"),
    path("manage/<int:pk>/correction/", views.manage_correction, name="ask_correction"),
    path("manage/<int:pk>/answer/", views.manage_answer, name="answer"),
    path("manage/<int:pk>/<slug:action>/", views.manage_act, name="act"),
]
