from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from yunghap.core.admin import PersonalDataAdminMixin

from .models import RoleGrant, User


class RoleGrantInline(admin.TabularInline[Any, Any]):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ("federation", "group", "firm")
    verbose_name = _("역할")
    verbose_name_plural = _("역할 부여")


@admin.register(User)
class UserAdmin(PersonalDataAdminMixin, BaseUserAdmin[Any]):
    # Users' names and e-mail addresses are personal data too: the list and the change page are logged.
    personal_object_type = "accounts.user"
    personal_fields = ("name", "email")
    inlines = [RoleGrantInline]
    list_display = ("username", "name", "email", "is_active", "last_login")
    list_filter = ("is_active", "is_superuser", "grants__role")
    search_fields = ("username", "name", "email")
    # Django's fieldsets name first_name and last_name; ours is one `name` as written.
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("개인 정보"), {"fields": ("name", "email", "language")}),
        (_("권한"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("주요 일시"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("username", "name", "email", "password1", "password2")}),
    )


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin[Any]):
    list_display = ("user", "role", "federation", "group", "firm", "created_at")
    list_filter = ("role", "federation")
    search_fields = ("user__username", "group__name", "firm__name", "firm__brn")
    list_select_related = ("user", "federation", "group", "firm")
    autocomplete_fields = ("user", "federation", "group", "firm")


# Authenticator secrets and recovery codes are nobody's to read, not even central staff's; the second factor
# is reset (audited) from the account page, accounts:otp_reset, so django-otp's device admins are removed.
def _unregister_otp_devices() -> None:
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for model in (TOTPDevice, StaticDevice):
        if admin.site.is_registered(model):
            admin.site.unregister(model)


_unregister_otp_devices()
