"""Hash chains that make the audit and access logs tamper-evident.

Each row is written in the same transaction as the change or look it records, unsealed.
Just after that transaction commits, a short sealing transaction (one writer at a time,
under a lock) gives every unsealed row, in id order, the next sequence number, the previous
row's hash and its own hash over its whole content. Sealing after commit keeps business
transactions from queueing behind one another, and the lock keeps the chain linear however
many processes write at once.

``chain_verify`` walks a chain in sequence order and names the first row that was altered,
deleted, inserted or moved. A superuser who rewrites the whole chain from some row onwards
is caught by comparing with chain heads exported outside the database (``chain_heads``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any, NamedTuple

from django.conf import settings
from django.db import models, transaction

from earlyhelp.core.prepared import prepared_fetch

SEAL_BATCH = 2000
GENESIS = "0" * 64
SEAL_FIELDS = frozenset({"chain_sequence", "previous_hash", "row_hash"})


class ChainedEvent(models.Model):
    """An append-only row in a hash chain. Never saved twice, never deleted."""

    chain_sequence = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001 - NULL means not yet sealed

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError(f"{type(self).__name__} rows are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError(f"{type(self).__name__} rows are append-only")


def _content_fields(model: type[ChainedEvent]) -> list[str]:
    return sorted(f.attname for f in model._meta.concrete_fields if f.attname not in SEAL_FIELDS)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def compute_hash(content: dict[str, Any], *, sequence: int, previous_hash: str) -> str:
    body = json.dumps(
        {k: _canonical(v) for k, v in content.items()},
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(f"{previous_hash}|{sequence}|{body}".encode()).hexdigest()


class Seal(NamedTuple):
    """What sealing gives one row: its place in the chain and its hash."""

    id: int
    sequence: int
    previous_hash: str
    row_hash: str


class ChainHead(models.Model):
    """The last sealed row of each chain. Locking this row serialises the sealers."""

    table = models.CharField(max_length=100, unique=True)
    sequence = models.BigIntegerField(default=0)
    row_hash = models.CharField(max_length=64, default=GENESIS)

    class Meta:
        app_label = "core"

    def __str__(self) -> str:
        return f"{self.table} at {self.sequence}"


def chain_seal(model: type[ChainedEvent], *, wait: bool = True) -> int:
    """Seal every unsealed row of the chain, in id order; returns how many were sealed.

    With ``wait=False`` a writer that finds another sealer at work leaves its rows to that
    sealer or the next one, instead of queueing: under many concurrent writers most commits
    then seal nothing themselves, and a few seal many rows at once. Rows are never left
    behind for long: every later commit, ``audit_verify --seal-first`` and the daily
    chain-head export seal whatever is waiting.
    """
    sealed = 0
    fields = _content_fields(model)
    table = model._meta.db_table
    while True:
        with transaction.atomic():
            # The row lock is held to the end of this short transaction: one sealer at a time.
            # (SQLite already holds the database write lock: transaction_mode IMMEDIATE.)
            head = (
                ChainHead.objects.select_for_update(skip_locked=not wait)
                .filter(table=table)
                .first()
            )
            if head is None:
                if ChainHead.objects.filter(table=table).exists():
                    return sealed  # another sealer holds the chain: it or the next seals ours
                ChainHead.objects.get_or_create(table=table)  # the chain's first seal
                continue
            pending = list(
                model._default_manager.filter(row_hash__isnull=True)
                .order_by("id")
                .values(*fields)[:SEAL_BATCH]
            )
            if not pending:
                return sealed
            sequence, previous = head.sequence, head.row_hash
            seals: list[Seal] = []
            for content in pending:
                sequence += 1
                row_hash = compute_hash(content, sequence=sequence, previous_hash=previous)
                seals.append(Seal(content["id"], sequence, previous, row_hash))
                previous = row_hash
            _write_seals(model, seals)
            ChainHead.objects.filter(pk=head.pk).update(sequence=sequence, row_hash=previous)
            sealed += len(seals)
        if len(pending) < SEAL_BATCH:
            return sealed


_last_seal: dict[str, float] = {}


def chained_insert[E: ChainedEvent](model: type[E], **values: Any) -> E:
    """Insert one unsealed row, as ``model.objects.create`` would, but cheaper.

    Every page view and every change writes one of these rows, so on PostgreSQL the insert
    is a statement prepared once per connection, with the values prepared by the fields
    themselves (defaults, JSON): it skips Django's per-save work and PostgreSQL's parsing
    and planning (docs/benchmarks.md, "Hash-chained audit writes"). Other databases save
    through the ORM.
    """
    # Text that came from a request may hold NUL characters, which PostgreSQL's text cannot
    # store: an event is never lost for that, the character is replaced.
    row = model(
        **{k: v.replace("\x00", "\ufffd") if isinstance(v, str) else v for k, v in values.items()}
    )
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        row.save(force_insert=True)
        return row
    fields = _insert_fields(model)
    params = [field.get_db_prep_save(field.pre_save(row, True), connection) for field in fields]
    inserted = prepared_fetch(_insert_sql(model), params, one=True)
    assert inserted is not None
    row.pk = inserted[0]
    row._state.adding = False
    row._state.db = connection.alias
    return row


@cache
def _insert_fields(model: type[ChainedEvent]) -> list[models.Field[Any, Any]]:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


@cache
def _insert_sql(model: type[ChainedEvent]) -> str:
    quote = transaction.get_connection().ops.quote_name
    columns = [field.column for field in _insert_fields(model)]
    return (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608 - names from the model
        f"VALUES ({', '.join(['%s'] * len(columns))}) RETURNING {quote(model._meta.pk.column)}"
    )


def _write_seals(model: type[ChainedEvent], seals: list[Seal]) -> None:
    """Write the seals in one statement. On PostgreSQL the statement is prepared once per
    connection and takes the seals as four arrays, so its text never grows with the batch
    (Django's bulk_update would build a CASE per column with a branch per row)."""
    connection = transaction.get_connection()
    if connection.vendor != "postgresql":
        rows = []
        for seal in seals:
            row = model(
                chain_sequence=seal.sequence,
                previous_hash=seal.previous_hash,
                row_hash=seal.row_hash,
            )
            row.pk = seal.id
            rows.append(row)
        model._default_manager.bulk_update(rows, ["chain_sequence", "previous_hash", "row_hash"])
        return
    ids, sequences, previous, hashes = (list(column) for column in zip(*seals, strict=True))
    prepared_fetch(_seal_sql(model), [ids, sequences, previous, hashes])


@cache
def _seal_sql(model: type[ChainedEvent]) -> str:
    table = transaction.get_connection().ops.quote_name(model._meta.db_table)
    return (
        f"UPDATE {table} AS t SET chain_sequence = v.seq, previous_hash = v.prev, "  # noqa: S608 - table name from the model, values bound
        "row_hash = v.hash FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[]) "
        "AS v(id, seq, prev, hash) WHERE t.id = v.id"
    )


def seal_after_commit(model: type[ChainedEvent]) -> None:
    """Ask for the chain to be sealed once the current transaction commits (once per model).

    Django drops the callback if the transaction rolls back, so nothing is left waiting. A
    process seals at most once per ``AUDIT_SEAL_INTERVAL_SECONDS``: under many concurrent
    writers one seal then covers many rows, instead of every commit paying for its own.
    """
    connection = transaction.get_connection()
    table = model._meta.db_table
    if any(getattr(hook, "chain_table", None) == table for _, hook, _ in connection.run_on_commit):
        return

    def seal() -> None:
        now = time.monotonic()
        if now - _last_seal.get(table, -math.inf) < settings.AUDIT_SEAL_INTERVAL_SECONDS:
            return
        _last_seal[table] = now
        chain_seal(model, wait=False)

    seal.chain_table = table  # type: ignore[attr-defined]
    transaction.on_commit(seal, robust=True)


@dataclass
class ChainReport:
    table: str
    checked: int = 0
    pending: int = 0
    broken_id: int | None = None
    broken_sequence: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return not self.problem

    def describe(self) -> str:
        if self.intact:
            return (
                f"{self.table}: intact, {self.checked} rows checked, {self.pending} awaiting seal"
            )
        return (
            f"{self.table}: BROKEN at row id {self.broken_id} "
            f"(sequence {self.broken_sequence}): {self.problem}"
        )


def chain_verify(
    model: type[ChainedEvent], *, heads: Iterable[tuple[int, str]] = ()
) -> ChainReport:
    """Walk the chain in order; stop at the first row that does not fit."""
    report = ChainReport(table=model._meta.db_table)
    fields = _content_fields(model)
    expected_sequence, previous = 1, GENESIS
    rows = (
        model._default_manager.filter(chain_sequence__isnull=False)
        .order_by("chain_sequence")
        .values(*fields, "chain_sequence", "previous_hash", "row_hash")
        .iterator(chunk_size=5000)
    )
    row_hashes: dict[int, str] = {}
    wanted_heads = dict(heads)
    for row in rows:
        sequence = row.pop("chain_sequence")
        stored_previous = row.pop("previous_hash")
        stored_hash = row.pop("row_hash")
        problem = ""
        if sequence != expected_sequence:
            problem = f"expected sequence {expected_sequence}: a row was deleted or inserted"
        elif stored_previous != previous:
            problem = "does not follow the previous row: rows were reordered or removed"
        elif compute_hash(row, sequence=sequence, previous_hash=previous) != stored_hash:
            problem = "its content does not match its hash: the row was altered"
        if problem:
            report.broken_id, report.broken_sequence, report.problem = row["id"], sequence, problem
            return report
        if sequence in wanted_heads:
            row_hashes[sequence] = stored_hash
        report.checked += 1
        expected_sequence, previous = sequence + 1, stored_hash
    head = ChainHead.objects.filter(table=report.table).first()
    if head is not None and (head.sequence, head.row_hash) != (expected_sequence - 1, previous):
        report.broken_sequence = expected_sequence
        report.problem = (
            f"the chain ends at sequence {expected_sequence - 1} but its head says "
            f"{head.sequence}: rows at the end were removed"
        )
        return report
    for sequence, exported in sorted(wanted_heads.items()):
        if row_hashes.get(sequence) != exported:
            report.broken_sequence = sequence
            report.problem = (
                f"differs from the chain head exported for sequence {sequence}: "
                "the chain was rewritten"
            )
            return report
    report.pending = model._default_manager.filter(row_hash__isnull=True).count()
    return report


def chain_head(model: type[ChainedEvent]) -> tuple[int, str] | None:
    head = ChainHead.objects.filter(table=model._meta.db_table, sequence__gt=0).first()
    return (head.sequence, head.row_hash) if head else None
