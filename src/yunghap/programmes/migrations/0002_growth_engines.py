from django.db import migrations


def load(apps, schema_editor):
    from yunghap.programmes.reference import load_growth_engines

    load_growth_engines(apps)


class Migration(migrations.Migration):
    dependencies = [("programmes", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
