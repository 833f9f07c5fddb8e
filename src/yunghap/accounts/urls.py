from django.contrib.auth import views as auth_views
from django.urls import path

from . import admin_views, otp_views, passwords, session_views, token_views, views
from .forms import LoginForm

app_name = "accounts"

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", views.profile, name="profile"),
    # --- sessions and passwords (h4)
    path("session/", session_views.session_status, name="session_status"),
    path("session/extend/", session_views.extend_session, name="session_extend"),
    path("password/change/", passwords.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", passwords.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", passwords.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", passwords.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        passwords.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        passwords.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # --- end sessions and passwords
    # --- second factor and account management of staff (issue 7, finding 6)
    path("otp/", otp_views.verify, name="otp_verify"),
    path("otp/enrol/", otp_views.enrol, name="otp_enrol"),
    path("otp/recovery-codes/", otp_views.recovery_codes, name="otp_recovery_codes"),
    path("users/", admin_views.user_list, name="user_list"),
    path("users/new/", admin_views.user_create, name="user_create"),
    path("users/<int:pk>/", admin_views.user_detail, name="user_detail"),
    path("users/<int:pk>/grants/new/", admin_views.grant_create, name="grant_create"),
    path("users/<int:pk>/grants/<int:grant_pk>/revoke/", admin_views.grant_revoke, name="grant_revoke"),
    path("users/<int:pk>/deactivate/", admin_views.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/reactivate/", admin_views.user_reactivate, name="user_reactivate"),
    path("users/<int:pk>/otp-reset/", admin_views.otp_reset, name="otp_reset"),
    # --- API tokens (issue 12, helper 5)
    path("tokens/", token_views.token_list, name="token_list"),
    path("tokens/new/", token_views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("users/<int:pk>/tokens/revoke/", token_views.user_tokens_revoke, name="user_tokens_revoke"),
]
