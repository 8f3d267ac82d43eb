"""PostgreSQL triggers that keep a hash-chained table append-only (core.chain).

Three triggers a table, all decided by PostgreSQL before any function runs, so the one
update allowed, sealing, costs no trigger call at all:

- DELETE is refused;
- an UPDATE that names any content column is refused (``BEFORE UPDATE OF``: the trigger
  fires when a listed column is a target of the UPDATE, whatever its new value);
- an UPDATE of the seal columns is refused unless it seals a row not yet sealed (``WHEN``).

The content columns are listed when the triggers are created: a migration that adds a
column to a chained table must create the triggers again (``test_chain`` updates every
content column and expects a refusal, so a forgotten column fails the tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FUNCTION = """
CREATE OR REPLACE FUNCTION core_refuse_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql
"""
SEAL_COLUMNS = ("chain_sequence", "previous_hash", "row_hash")


def triggers_create(schema_editor: Any, table: str, content_columns: Iterable[str]) -> None:
    """Replace the table's append-only trigger (migration 0003's) with the three above."""
    if schema_editor.connection.vendor != "postgresql":
        return
    quote = schema_editor.quote_name
    columns = ", ".join(quote(c) for c in sorted(content_columns) if c not in SEAL_COLUMNS)
    seals = ", ".join(quote(c) for c in SEAL_COLUMNS)
    schema_editor.execute(FUNCTION, params=None)
    for sql in (
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION core_refuse_append_only()",
        f"CREATE TRIGGER {table}_content_fixed BEFORE UPDATE OF {columns} ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION core_refuse_append_only()",
        f"CREATE TRIGGER {table}_sealed_once BEFORE UPDATE OF {seals} ON {table} "
        "FOR EACH ROW WHEN (OLD.row_hash IS NOT NULL OR NEW.row_hash IS NULL) "
        "EXECUTE FUNCTION core_refuse_append_only()",
    ):
        schema_editor.execute(sql, params=None)


def triggers_drop(schema_editor: Any, table: str) -> None:
    """Undo ``triggers_create``, putting back migration 0003's single trigger."""
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in ("no_delete", "content_fixed", "sealed_once"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}", params=None)
    schema_editor.execute(
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION core_refuse_audit_rewrite()",
        params=None,
    )


def columns_of(apps: Any, app_label: str, model_name: str) -> list[str]:
    """The model's columns as this migration sees them (the historical model)."""
    model = apps.get_model(app_label, model_name)
    return [field.column for field in model._meta.concrete_fields]
