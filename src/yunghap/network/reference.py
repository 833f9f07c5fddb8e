"""Loading the reference data shipped in `network/data/`: federations, KSIC-10, exchange types.

Used by the data migration (so the data is there from the first migrate, without the demo) and by
`yunghap demo`. Loading is idempotent: codes are the keys, names are updated.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"

CENTRAL_CODE = "central"
CENTRAL_NAME = "중소기업이업종교류연합회(중앙회)"
CENTRAL_NAME_EN = "Central federation"

EXCHANGE_TYPES = [
    # code, Korean name, English name, what the plan says the type is for
    ("info", "정보교환형", "Information exchange", "경영·기술정보 교류, 정책사업 정보 취득, 인맥 확장"),
    ("resource", "자원협력형", "Resource cooperation", "회원사 간 수발주, 인적자원 교류, 사업 협력"),
    ("newproduct", "신제품개발형", "New-product development", "신기술·신제품·신시장 창출"),
]


def read_csv(name: str) -> list[dict[str, str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def english(model: Any, name_en: str) -> dict[str, str]:
    """`name_en` for a model state that has the field (migrations before it call the loader too)."""
    return {"name_en": name_en} if any(f.name == "name_en" for f in model._meta.get_fields()) else {}


def load_reference_data(apps: Any = None) -> None:
    """Create or update the reference rows. `apps` is the migration state registry when called from one."""
    if apps is None:
        from django.apps import apps as live_apps

        apps = live_apps
    Federation = apps.get_model("network", "Federation")
    IndustrySection = apps.get_model("network", "IndustrySection")
    Industry = apps.get_model("network", "Industry")
    ExchangeType = apps.get_model("network", "ExchangeType")

    central, _ = Federation.objects.update_or_create(
        code=CENTRAL_CODE,
        defaults={"name": CENTRAL_NAME, "name_en": CENTRAL_NAME_EN, "level": "central", "sort_order": 0},
    )
    for order, row in enumerate(read_csv("regional_federations.csv"), start=1):
        Federation.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name_ko"],
                "name_en": row["name_en"],
                "level": "regional",
                "parent": central,
                "provinces": row["provinces_ko"],
                "sort_order": order,
            },
        )
    sections = {}
    for row in read_csv("ksic10_sections.csv"):
        sections[row["section"]], _ = IndustrySection.objects.update_or_create(
            code=row["section"],
            defaults={"name": row["section_name_ko"], **english(IndustrySection, row["section_name_en"])},
        )
    for row in read_csv("ksic10_divisions.csv"):
        Industry.objects.update_or_create(
            code=row["division"],
            defaults={
                "name": row["division_name_ko"],
                **english(Industry, row["division_name_en"]),
                "section": sections[row["section"]],
            },
        )
    for order, (code, name, name_en, description) in enumerate(EXCHANGE_TYPES, start=1):
        ExchangeType.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "description": description, "sort_order": order},
        )
