from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse

from .audit import record_access
from .models import AccessLog, AuditLog, ImportJob, Notification


class PersonalDataAdminMixin:
    """Logs every admin page that shows personal data unmasked: the change page (also when a POST
    with errors re-renders it) and the change list when its columns include personal fields.

    Set `personal_object_type` (the access log's object type) and `personal_fields`.
    """

    personal_object_type: str = ""
    personal_fields: tuple[str, ...] = ()

    def shows_personal_data(self, obj: Any) -> bool:
        return any(getattr(obj, name, "") for name in self.personal_fields)

    def changeform_view(
        self, request: Any, object_id: str | None = None, form_url: str = "", extra_context: Any = None
    ) -> Any:
        response = super().changeform_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        if object_id and isinstance(response, TemplateResponse):
            obj = (response.context_data or {}).get("original")
            if obj is not None and self.shows_personal_data(obj):
                record_access(request.user, AccessLog.Kind.VIEW, self.personal_object_type, [obj.pk], request)
        return response

    def changelist_view(self, request: Any, extra_context: Any = None) -> Any:
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        shown = set(self.get_list_display(request)) & set(self.personal_fields)  # type: ignore[attr-defined]
        if shown and isinstance(response, TemplateResponse):
            changelist = (response.context_data or {}).get("cl")
            if changelist is not None:
                ids = [obj.pk for obj in changelist.result_list if self.shows_personal_data(obj)]
                record_access(request.user, AccessLog.Kind.VIEW, self.personal_object_type, ids, request)
        return response


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Logs are evidence: nobody edits or deletes them, not even central staff."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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
