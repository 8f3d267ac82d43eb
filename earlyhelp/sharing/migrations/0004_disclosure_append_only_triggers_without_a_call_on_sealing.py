"""The disclosure log's append-only triggers, as core 0004 made them for the audit logs."""

from django.db import migrations

from earlyhelp.core.append_only import columns_of, triggers_create, triggers_drop


def create(apps, schema_editor):
    triggers_create(schema_editor, "sharing_disclosure", columns_of(apps, "sharing", "Disclosure"))


def drop(apps, schema_editor):
    triggers_drop(schema_editor, "sharing_disclosure")


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0003_disclosure_log_append_only_on_postgresql"),
        ("core", "0004_append_only_triggers_without_a_call_on_sealing"),
    ]

    operations = [migrations.RunPython(create, drop)]
