from django.db import migrations


def load(apps, schema_editor):
    from yunghap.programmes.reference import load_cost_categories

    load_cost_categories(apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0003_programmes")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
