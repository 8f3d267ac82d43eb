"""The audit and access logs' append-only triggers, made so that sealing calls no function.

Migration 0003's trigger ran a function comparing every row's content as JSON on each seal,
the largest part of the cost of sealing (docs/benchmarks.md, "Hash-chained audit writes").
The rule is unchanged: no DELETE, no change of content, a seal given once.
"""

from django.db import migrations

from earlyhelp.core.append_only import columns_of, triggers_create, triggers_drop

MODELS = (("core_auditevent", "AuditEvent"), ("core_accessevent", "AccessEvent"))


def create(apps, schema_editor):
    for table, model in MODELS:
        triggers_create(schema_editor, table, columns_of(apps, "core", model))


def drop(apps, schema_editor):
    for table, _ in MODELS:
        triggers_drop(schema_editor, table)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_append_only_on_postgresql")]

    operations = [migrations.RunPython(create, drop)]
