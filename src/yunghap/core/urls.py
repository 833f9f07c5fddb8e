from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.notification_list, name="notifications"),
    path("unread/", views.notification_unread_count, name="notifications_unread"),
    path("read-all/", views.notification_read_all, name="notifications_read_all"),
    path("<int:pk>/open/", views.notification_open, name="notification_open"),
]
