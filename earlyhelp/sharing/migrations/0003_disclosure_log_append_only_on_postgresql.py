"""PostgreSQL refuses UPDATE and DELETE on the disclosure log, as on the audit log."""

from django.db import migrations


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE TRIGGER sharing_disclosure_append_only BEFORE UPDATE OR DELETE "
        "ON sharing_disclosure FOR EACH ROW EXECUTE FUNCTION core_refuse_audit_rewrite()"
    )


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP TRIGGER IF EXISTS sharing_disclosure_append_only ON sharing_disclosure")


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0002_seed_information_categories"),
        ("core", "0003_audit_append_only_on_postgresql"),
    ]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
