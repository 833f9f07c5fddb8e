from django.contrib import admin

from .models import Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin[Category]):
    """Categories are data: central staff keep the list here (posts are written in the portal's pages)."""

    list_display = ("name", "kind", "slug", "sort_order")
    list_filter = ("kind",)
    prepopulated_fields = {"slug": ("name",)}
