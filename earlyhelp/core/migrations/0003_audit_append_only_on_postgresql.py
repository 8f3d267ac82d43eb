"""PostgreSQL refuses UPDATE and DELETE on the audit and access logs.

The one update allowed is sealing: a row without a hash may receive its sequence, previous
hash and hash once (core.chain), and nothing else may change with it.
"""

from django.db import migrations

TABLES = ("core_auditevent", "core_accessevent")

FUNCTION = """
CREATE OR REPLACE FUNCTION core_refuse_audit_rewrite() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% rows are append-only: DELETE refused', TG_TABLE_NAME;
    END IF;
    IF OLD.row_hash IS NOT NULL OR NEW.row_hash IS NULL
       OR (to_jsonb(NEW) - 'chain_sequence' - 'previous_hash' - 'row_hash')
          IS DISTINCT FROM (to_jsonb(OLD) - 'chain_sequence' - 'previous_hash' - 'row_hash')
    THEN
        RAISE EXCEPTION '% rows are append-only: UPDATE refused', TG_TABLE_NAME;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION core_refuse_audit_rewrite()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS core_refuse_audit_rewrite()")


class Migration(migrations.Migration):
    dependencies = [("core", "0002_audit_hash_chain")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
