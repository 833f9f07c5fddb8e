from django.contrib import admin

from .models import Introduction, IntroductionEvent


class IntroductionEventInline(admin.TabularInline):
    model = IntroductionEvent
    extra = 0
    can_delete = False
    readonly_fields = ("created_at", "action", "from_state", "to_state", "actor", "actor_firm", "message")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Introduction)
class IntroductionAdmin(admin.ModelAdmin):
    """Read-only: every move goes through the workflow services so that history and notifications follow."""

    list_display = (
        "created_at",
        "seeker",
        "partner",
        "state",
        "respond_by",
        "coordinator",
        "follow_up_due_on",
    )
    list_filter = ("state", "outcome")
    search_fields = ("seeker__name", "partner__name")
    list_select_related = ("seeker", "partner", "coordinator")
    inlines = [IntroductionEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
