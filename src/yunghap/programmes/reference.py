"""The 17 new growth engines of 2009, shipped in `programmes/data/growth_engines_2009.csv`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).resolve().parent / "data" / "growth_engines_2009.csv"


def load_growth_engines(apps: Any = None) -> None:
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    GrowthEngine = apps.get_model("programmes", "GrowthEngine")
    with open(DATA_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            GrowthEngine.objects.update_or_create(
                code=row["code"],
                defaults={
                    "field_name": row["field_ko"],
                    "field_name_en": row["field_en"],
                    "name": row["name_ko"],
                    "name_en": row["name_en"],
                    "aliases": row["aliases_ko"],
                },
            )


COST_CATEGORIES_FILE = Path(__file__).resolve().parent / "data" / "cost_categories.csv"


def load_cost_categories(apps: Any = None) -> None:
    """The cost categories (비목) by edition; a new edition is added as new rows, never by editing old ones."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    CostCategory = apps.get_model("programmes", "CostCategory")
    with open(COST_CATEGORIES_FILE, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            CostCategory.objects.update_or_create(
                edition=row["edition"],
                code=row["code"],
                defaults={
                    "name": row["name_ko"],
                    "name_en": row["name_en"],
                    "description": row["description_ko"],
                    "inkind_allowed": row["inkind_allowed"] == "yes",
                    "sort_order": int(row["sort_order"]),
                },
            )
