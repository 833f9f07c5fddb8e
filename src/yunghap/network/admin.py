"""Django admin for the registry: central staff only (the admin site checks the central-staff scope).

Changes made here bypass the services' audit rows, so the admin is for reference data and repairs;
day-to-day keeping of groups, firms and memberships happens on the registry pages.
"""

from typing import Any

from django.contrib import admin

from yunghap.core.admin import PersonalDataAdminMixin

from .access import FIRM_OBJECT_TYPE
from .models import ExchangeGroup, ExchangeType, Federation, Firm, Industry, IndustrySection, Membership


@admin.register(Federation)
class FederationAdmin(admin.ModelAdmin[Any]):
    list_display = ("code", "name", "name_en", "level", "parent", "sort_order")
    list_filter = ("level",)
    search_fields = ("code", "name", "name_en", "provinces")
    list_select_related = ("parent",)
    ordering = ("sort_order", "code")


@admin.register(IndustrySection)
class IndustrySectionAdmin(admin.ModelAdmin[Any]):
    list_display = ("code", "name")
    search_fields = ("code", "name")


@admin.register(Industry)
class IndustryAdmin(admin.ModelAdmin[Any]):
    list_display = ("code", "name", "section")
    list_filter = ("section",)
    search_fields = ("code", "name")
    list_select_related = ("section",)


@admin.register(ExchangeType)
class ExchangeTypeAdmin(admin.ModelAdmin[Any]):
    list_display = ("code", "name", "name_en", "sort_order")
    search_fields = ("code", "name", "name_en")


class MembershipInline(admin.TabularInline[Any, Any]):
    model = Membership
    extra = 0
    autocomplete_fields = ("firm", "group")
    fields = ("group", "firm", "role", "joined_on", "left_on")


@admin.register(ExchangeGroup)
class ExchangeGroupAdmin(admin.ModelAdmin[Any]):
    list_display = ("code", "name", "federation", "kind", "status", "founded_on")
    list_filter = ("federation", "kind", "status", "exchange_types")
    search_fields = ("code", "name")
    list_select_related = ("federation",)
    filter_horizontal = ("exchange_types",)
    inlines = [MembershipInline]
    date_hierarchy = "founded_on"


@admin.register(Firm)
class FirmAdmin(PersonalDataAdminMixin, admin.ModelAdmin[Any]):
    # The change page shows the representative, phone and e-mail unmasked: each display is logged.
    personal_object_type = FIRM_OBJECT_TYPE
    personal_fields = Firm.PERSONAL_FIELDS
    list_display = ("name", "brn", "federation", "industry", "employees", "status")
    list_filter = ("federation", "status", "industry__section")
    search_fields = ("name", "brn")
    list_select_related = ("federation", "industry")
    autocomplete_fields = ("industry",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Any]):
    list_display = ("group", "firm", "role", "joined_on", "left_on")
    list_filter = ("role", "group__federation")
    search_fields = ("group__name", "group__code", "firm__name", "firm__brn")
    list_select_related = ("group", "firm")
    autocomplete_fields = ("group", "firm")
    date_hierarchy = "joined_on"
