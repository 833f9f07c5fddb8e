from django.contrib import admin

from yunghap.core.audit import record_change

from .models import Capability, Conflict, FirmProfileAnalysis, Posting, SavedSearch


class AuditedAdmin(admin.ModelAdmin):
    """Admin edits leave the same audit trail as the service functions."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        label = obj._meta.model_name
        record_change(
            request.user, f"{label}.{'update' if change else 'create'}.admin", obj, form.cleaned_data
        )

    def delete_model(self, request, obj):
        record_change(request.user, f"{obj._meta.model_name}.delete.admin", obj, {})
        super().delete_model(request, obj)


@admin.register(Capability)
class CapabilityAdmin(AuditedAdmin):
    list_display = ("name", "synonyms", "english_terms", "updated_at")
    search_fields = ("name", "description")
    filter_horizontal = ("industries",)


@admin.register(Posting)
class PostingAdmin(AuditedAdmin):
    list_display = ("title", "kind", "firm", "review_status", "visibility", "expires_on", "analysed_at")
    list_filter = ("kind", "review_status", "visibility")
    search_fields = ("title", "firm__name", "firm__brn")
    raw_id_fields = ("firm", "reviewed_by", "created_by")
    readonly_fields = ("terms", "analysed_at")
    filter_horizontal = ("growth_engines", "capabilities")
    list_select_related = ("firm",)


@admin.register(Conflict)
class ConflictAdmin(AuditedAdmin):
    list_display = ("firm", "competitor", "note", "created_at")
    raw_id_fields = ("firm", "competitor", "created_by")
    search_fields = ("firm__name", "competitor__name")


@admin.register(FirmProfileAnalysis)
class FirmProfileAnalysisAdmin(admin.ModelAdmin):
    list_display = ("firm", "analysed_at")
    raw_id_fields = ("firm",)
    readonly_fields = ("terms", "analysed_at", "source_hash")


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    list_display = ("created_at", "owner", "name", "query", "kind", "last_checked_at")
    search_fields = ("name", "query", "owner__username")
    list_select_related = ("owner",)
    readonly_fields = ("terms", "analysed_at", "last_checked_at")
    filter_horizontal = ()
    exclude = ("reported_postings",)
