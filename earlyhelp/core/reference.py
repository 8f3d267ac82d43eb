"""Reference data the migrations load: information categories, retention rules and the
example threshold framework.

A test that runs outside a transaction empties every table when it ends, migrations'
data included; ``reference_data_ensure`` puts it back (each seed is idempotent).
"""

from __future__ import annotations

from importlib import import_module

from django.apps import apps

SEEDS = (
    "earlyhelp.sharing.migrations.0002_seed_information_categories",
    "earlyhelp.records.migrations.0002_seed_example_retention_rules",
)


def reference_data_ensure() -> None:
    from earlyhelp.housing.loading import example_policy_seed
    from earlyhelp.levels.loading import example_framework_seed
    from earlyhelp.sharing.models import InformationCategory

    if InformationCategory.objects.exists():
        return
    for module in SEEDS:
        import_module(module).seed(apps, None)
    example_framework_seed(apps.get_model)
    example_policy_seed(apps.get_model)
