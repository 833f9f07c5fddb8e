from django.contrib import admin

from .models import GrowthEngine


@admin.register(GrowthEngine)
class GrowthEngineAdmin(admin.ModelAdmin):
    list_display = ("code", "field_name", "name", "name_en", "aliases")
    search_fields = ("code", "name", "aliases")
