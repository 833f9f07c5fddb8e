"""SavedSearch now lives in `matching` (see `matching.0002_saved_search_moves_here`): forget it here, and
keep its table, which the matching model goes on using."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("introductions", "0001_initial"),
        ("matching", "0002_saved_search_moves_here"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SavedSearch")],
            database_operations=[],
        ),
    ]
