from django.urls import path

from . import views

app_name = "surveys"

urlpatterns = [
    path("", views.survey_list, name="index"),
    path("open/", views.survey_open, name="open"),
    path("<int:year>/", views.survey_status, name="status"),
    path("<int:year>/close/", views.survey_close, name="close"),
    path("<int:year>/remind/", views.survey_remind, name="remind"),
    path("<int:year>/answer/", views.my_answer, name="answer"),
    path("<int:year>/groups/<slug:code>/", views.group_answer, name="group_answer"),
    path("<int:year>/groups/<slug:code>/reopen/", views.response_reopen, name="response_reopen"),
]
