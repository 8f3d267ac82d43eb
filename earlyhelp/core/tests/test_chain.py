"""The audit and access logs are append-only and hash-chained; tampering is caught."""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, transaction
from django.db.utils import DatabaseError

from earlyhelp.core.access import access_record
from earlyhelp.core.audit import audit_record
from earlyhelp.core.chain import SEAL_FIELDS, chain_seal, chain_verify, compute_hash
from earlyhelp.core.models import AccessAction, AccessEvent, AuditEvent
from earlyhelp.sharing.models import Disclosure, DisclosureKind

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def as_superuser_bypassing_triggers() -> Iterator[None]:
    """What a database superuser could do: write with the append-only triggers switched off."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SET session_replication_role = DEFAULT")
    else:
        yield


def write_events(partnership, count: int) -> list[AuditEvent]:
    for n in range(count):
        audit_record(
            actor=partnership.maya,
            action="person.update",
            obj=partnership.chloe,
            summary=f"change {n}",
            changes={"n": [n, n + 1]},
        )
    chain_seal(AuditEvent)
    return list(AuditEvent.objects.order_by("chain_sequence"))


def tamper(sql: str, params: list[Any]) -> None:
    with as_superuser_bypassing_triggers(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_events_are_sealed_after_commit_and_the_chain_verifies(partnership) -> None:
    events = write_events(partnership, 5)
    assert [e.chain_sequence for e in events] == [1, 2, 3, 4, 5]
    assert events[0].previous_hash == "0" * 64
    assert all(b.previous_hash == a.row_hash for a, b in itertools.pairwise(events))
    assert chain_verify(AuditEvent).intact


def test_access_events_form_their_own_chain(partnership) -> None:
    access_record(actor=partnership.maya, action=AccessAction.VIEW, obj=partnership.chloe)
    access_record(actor=partnership.owen, action=AccessAction.DENIED, obj=partnership.chloe)
    report = chain_verify(AccessEvent)
    assert report.intact and report.checked == 2 and report.pending == 0


def test_altered_row_is_named(partnership) -> None:
    events = write_events(partnership, 6)
    tamper("UPDATE core_auditevent SET summary = %s WHERE id = %s", ["nothing", events[3].id])
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert report.broken_id == events[3].id
    assert "altered" in report.problem


def test_deleted_row_is_caught(partnership) -> None:
    events = write_events(partnership, 6)
    tamper("DELETE FROM core_auditevent WHERE id = %s", [events[2].id])
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert report.broken_id == events[3].id


def test_deleted_last_rows_are_caught(partnership) -> None:
    events = write_events(partnership, 4)
    tamper("DELETE FROM core_auditevent WHERE id >= %s", [events[2].id])
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert "removed" in report.problem


def test_reordered_rows_are_caught(partnership) -> None:
    events = write_events(partnership, 6)
    a, b = events[1], events[4]
    tamper("UPDATE core_auditevent SET chain_sequence = -1 WHERE id = %s", [a.id])
    tamper("UPDATE core_auditevent SET chain_sequence = %s WHERE id = %s", [a.chain_sequence, b.id])
    tamper("UPDATE core_auditevent SET chain_sequence = %s WHERE id = %s", [b.chain_sequence, a.id])
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert report.broken_sequence == a.chain_sequence


def test_row_inserted_out_of_order_is_caught(partnership) -> None:
    events = write_events(partnership, 4)
    last = events[-1]
    # A forged row claiming to come after the last one, hashed with the wrong predecessor.
    forged_hash = compute_hash({"id": 999}, sequence=5, previous_hash=str(events[1].row_hash))
    tamper(
        "INSERT INTO core_auditevent (id, actor_id, client, action, object_type, object_id, "
        "summary, changes, at, chain_sequence, previous_hash, row_hash) "
        "VALUES (%s, %s, '', 'person.view', 'people.person', '1', '', '{}', %s, 5, %s, %s)",
        [last.id + 100, partnership.maya.id, last.at, events[1].row_hash, forged_hash],
    )
    report = chain_verify(AuditEvent)
    assert not report.intact
    assert report.broken_sequence == 5


def test_rewritten_chain_is_caught_by_exported_heads(partnership, tmp_path: Path) -> None:
    events = write_events(partnership, 5)
    heads = tmp_path / "heads.jsonl"
    call_command("audit_chain_export", str(heads))
    # A superuser alters row 3 and recomputes every hash from there on.
    tamper("UPDATE core_auditevent SET summary = 'nothing' WHERE id = %s", [events[2].id])
    previous = str(events[1].row_hash)
    fields = sorted(
        f.attname
        for f in AuditEvent._meta.concrete_fields
        if f.attname not in {"chain_sequence", "previous_hash", "row_hash"}
    )
    for event in AuditEvent.objects.filter(chain_sequence__gte=3).order_by("chain_sequence"):
        content = {name: getattr(event, name) for name in fields}
        new_hash = compute_hash(
            content, sequence=int(event.chain_sequence or 0), previous_hash=previous
        )
        tamper(
            "UPDATE core_auditevent SET previous_hash = %s, row_hash = %s WHERE id = %s",
            [previous, new_hash, event.id],
        )
        previous = new_hash
    tamper(
        "UPDATE core_chainhead SET row_hash = %s WHERE \"table\" = 'core_auditevent'", [previous]
    )
    assert chain_verify(AuditEvent).intact  # the database alone cannot tell
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify", "--heads", str(heads))
    assert caught.value.returncode == 1
    assert "rewritten" in str(caught.value)


def test_audit_verify_command_exit_codes(partnership) -> None:
    events = write_events(partnership, 3)
    call_command("audit_verify")  # intact: no exception, exit 0
    tamper("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [events[0].id])
    with pytest.raises(CommandError) as caught:
        call_command("audit_verify")
    assert caught.value.returncode == 1
    assert f"row id {events[0].id}" in str(caught.value)


def test_models_refuse_to_save_twice_or_delete(partnership) -> None:
    event = write_events(partnership, 1)[0]
    event.summary = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()


def test_postgresql_itself_refuses_update_and_delete(partnership) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's")
    event = write_events(partnership, 1)[0]
    look = access_record(actor=partnership.maya, action=AccessAction.VIEW, obj=partnership.chloe)
    for sql, row_id in (
        ("UPDATE core_auditevent SET summary = 'x' WHERE id = %s", event.id),
        ("DELETE FROM core_auditevent WHERE id = %s", event.id),
        ("UPDATE core_accessevent SET detail = 'x' WHERE id = %s", look.id),
        ("DELETE FROM core_accessevent WHERE id = %s", look.id),
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [row_id])
    assert AuditEvent.objects.get(id=event.id).summary == event.summary


def _content_columns(model: type[AuditEvent] | type[AccessEvent] | type[Disclosure]) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields if f.attname not in SEAL_FIELDS]


@pytest.mark.parametrize("model", [AuditEvent, AccessEvent, Disclosure])
def test_postgresql_refuses_a_change_to_every_content_column(partnership, model) -> None:
    """R-IS-1: each column, so that a column added later without new triggers fails here."""
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's")
    write_events(partnership, 1)
    access_record(actor=partnership.maya, action=AccessAction.VIEW, obj=partnership.chloe)
    Disclosure.objects.create(
        kind=DisclosureKind.SHARE, what="w", recipient="r", purpose="p", basis="b"
    )
    assert model._default_manager.exists()
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # Sealed or not, a row's content never changes: even a "change" to the same value.
        for column in _content_columns(model):
            name = connection.ops.quote_name(column)
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
                cursor.execute(f"UPDATE {table} SET {name} = {name}")  # noqa: S608 - names from the model


def test_postgresql_lets_a_row_be_sealed_once_and_never_resealed(partnership) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the append-only triggers are PostgreSQL's")
    with transaction.atomic(), connection.cursor() as cursor:
        # Before the commit the row is not yet sealed; taking a hash away is no seal.
        audit_record(actor=partnership.maya, action="person.view", obj=partnership.chloe)
        event = AuditEvent.objects.latest("id")
        assert event.row_hash is None
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute("UPDATE core_auditevent SET row_hash = NULL WHERE id = %s", [event.id])
    chain_seal(AuditEvent)
    assert AuditEvent.objects.get(id=event.id).row_hash is not None
    with connection.cursor() as cursor:
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(
                "UPDATE core_auditevent SET row_hash = %s WHERE id = %s", ["0" * 64, event.id]
            )
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(
                "UPDATE core_auditevent SET chain_sequence = chain_sequence + 1000 WHERE id = %s",
                [event.id],
            )
    assert chain_verify(AuditEvent).intact


def test_eight_concurrent_writers_keep_one_linear_chain(partnership) -> None:
    if connection.vendor != "postgresql":
        # SQLite's in-memory test database locks whole tables without waiting; the embedded
        # file database serialises writers anyway (BEGIN IMMEDIATE).
        pytest.skip("concurrent writers need PostgreSQL")
    writers, per_writer = 8, 250
    errors: list[BaseException] = []
    barrier = threading.Barrier(writers)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_writer):
                with transaction.atomic():
                    audit_record(
                        actor=partnership.maya,
                        action="person.view",
                        obj=partnership.chloe,
                        summary=f"writer {n} event {i}",
                    )
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    chain_seal(AuditEvent)
    report = chain_verify(AuditEvent)
    assert report.intact, report.describe()
    assert report.checked == writers * per_writer
    call_command("audit_verify")


def test_a_rolled_back_change_does_not_stop_later_sealing(partnership) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(actor=partnership.maya, action="person.update", obj=partnership.chloe)
        raise RuntimeError("the change failed")
    with transaction.atomic():
        audit_record(actor=partnership.maya, action="person.update", obj=partnership.chloe)
    assert AuditEvent.objects.filter(row_hash__isnull=True).count() == 0
    assert AuditEvent.objects.get().chain_sequence == 1


def test_an_event_with_a_nul_character_is_still_recorded(partnership) -> None:
    # Query strings can carry %00; the look must be recorded, never a 500.
    event = access_record(
        actor=partnership.maya, action=AccessAction.LIST, object_type="x", detail="a\x00b"
    )
    assert AccessEvent.objects.get(pk=event.pk).detail == "a\ufffdb"
