from django.contrib import admin

from .models import AccessLog, AuditLog, ImportJob, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    """Logs are evidence: nobody edits or deletes them, not even central staff."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "actor", "action", "object_type", "object_repr")
    list_filter = ("action", "object_type")
    search_fields = ("object_repr", "object_id")
    date_hierarchy = "created_at"


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "user", "kind", "object_type", "record_count", "path", "ip_address")
    list_filter = ("kind", "object_type")
    date_hierarchy = "created_at"


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "verb", "message", "read_at")
    list_filter = ("verb",)
    search_fields = ("message", "recipient__username")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "user",
        "kind",
        "filename",
        "state",
        "rows_done",
        "rows_total",
        "committed_at",
    )
    list_filter = ("state", "kind")
    search_fields = ("filename", "sha256", "user__username")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    exclude = ("report",)  # every row's errors: shown on the user's result page, too long for the admin
