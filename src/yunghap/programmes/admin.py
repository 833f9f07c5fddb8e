from django.contrib import admin

from .models import GrowthEngine


@admin.register(GrowthEngine)
class GrowthEngineAdmin(admin.ModelAdmin):
    list_display = ("code", "field_name", "name", "name_en", "aliases")
    search_fields = ("code", "name", "aliases")


# Reports, results and follow-ups (helper 3, issue 10): the rules staff may change are a settings row.
from .models import FollowUp, ProgressRules, ResultIndicators  # noqa: E402


@admin.register(ProgressRules)
class ProgressRulesAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "reminder_days_before", "followup_years"]


@admin.register(ResultIndicators)
class ResultIndicatorsAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["agreement", "prototypes", "patents_applied", "patents_registered", "sales_krw", "jobs"]
    readonly_fields = ["version"]


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["agreement", "years_after", "due_on", "status"]
    list_filter = ["status"]
