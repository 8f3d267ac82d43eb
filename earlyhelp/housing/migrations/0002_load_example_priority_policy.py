"""Every database starts with the example young-parent priority policy (R-HOU-1).

Built from the 2017 learning review's fifth recommendation; a partnership loads its own
signed-off version beside it with ``manage.py housing_priority_policy_load``. Loaded by the
same checks and writer as the command (earlyhelp.housing.loading).
"""

from django.db import migrations


def seed(apps, schema_editor):
    from earlyhelp.housing.loading import example_policy_seed

    example_policy_seed(apps.get_model)


class Migration(migrations.Migration):
    dependencies = [
        ("housing", "0001_housing_cases_placements_notices"),
        ("sharing", "0002_seed_information_categories"),
    ]

    # Not reversed: a loaded policy is never deleted (decisions point at it).
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
