"""The 2026 edition's cost-category codes as the programme rules name them (personnel, activity, outsourced).

Budget lines refer to categories by key, so renaming the three codes changes no line."""

from django.db import migrations

RENAMED = {"labour": "personnel", "activities": "activity", "outsourcing": "outsourced"}


def rename(apps, schema_editor):
    CostCategory = apps.get_model("programmes", "CostCategory")
    for old, new in RENAMED.items():
        CostCategory.objects.filter(edition="2026", code=old).update(code=new)


def rename_back(apps, schema_editor):
    CostCategory = apps.get_model("programmes", "CostCategory")
    for old, new in RENAMED.items():
        CostCategory.objects.filter(edition="2026", code=new).update(code=old)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0007_agreement_grade_reports")]

    operations = [migrations.RunPython(rename, rename_back)]
