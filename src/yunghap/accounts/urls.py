from django.contrib.auth import views as auth_views
from django.urls import path

from . import session_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(template_name="accounts/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    # --- sessions and passwords (h4)
    path("session/", session_views.session_status, name="session_status"),
    path("session/extend/", session_views.extend_session, name="session_extend"),
    # --- end sessions and passwords
]
