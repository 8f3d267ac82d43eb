"""Statements PostgreSQL plans once per connection, run on Django's own connection.

The hottest statements (the audit insert and seal, the compiled family check) skip
PostgreSQL's parsing and planning this way: a server-side-binding psycopg cursor on the
connection Django already holds, so the statement runs in the caller's transaction. Other
databases run the statement through Django's cursor as usual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction


def prepared_fetch(sql: str, params: Sequence[Any], *, one: bool = False) -> Any:
    """Run ``sql`` (with ``%s`` placeholders) and return all rows, or the first when ``one``."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return cursor.fetchone() if one else cursor.fetchall()
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        if cursor.description is None:
            return None
        return cursor.fetchone() if one else cursor.fetchall()
