"""Every database starts with the example threshold framework (R-WT-2).

Built from LEVELS_OF_NEED.md and the product rules; a partnership loads its own signed-off
version beside it with ``manage.py threshold_framework_load``. Loaded by the same checks and
writer as the command (earlyhelp.levels.loading), so the example is refused if it is wrong.
"""

from django.db import migrations


def load(apps, schema_editor):
    from earlyhelp.levels.loading import example_framework_seed

    example_framework_seed(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("levels", "0001_threshold_framework_and_level_decisions"),
        ("sharing", "0002_seed_information_categories"),
    ]

    # Not reversed: a loaded framework is never deleted (decisions point at it).
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
