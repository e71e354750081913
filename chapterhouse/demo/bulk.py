"""Writing and deleting millions of the demo's rows fast, on both databases.

The ORM's `bulk_create` builds a model instance per row and `delete()` collects every related
row in Python before deleting it: fine for the letter's 3,443 members, minutes at a million.
Here rows are plain tuples in the model's column order: PostgreSQL receives them by COPY
(psycopg's `cursor.copy`), SQLite by `bulk_create` in large batches (a test-sized demo). Tables are
emptied by TRUNCATE (PostgreSQL) or one DELETE per table (SQLite), never row by row; the tables
that refer to them lose only the rows or keys the ORM's cascade would (Wipe).

Only the demo's seeders use this, after seed_demo's guard (DemoSeal) has checked that the
database holds nothing the demo did not make, or was told `--replace-everything`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection, models
from django.utils import timezone

SQLITE_BATCH = 5000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _column_list(model: type[models.Model], attnames: Sequence[str]) -> str:
    column = {f.attname: f.column or f.attname for f in model._meta.concrete_fields}
    return ", ".join(connection.ops.quote_name(column[name]) for name in attnames)


def _constant(field: models.Field[Any, Any]) -> Any:
    """The value a column left out of the rows gets: its default (a row written by COPY gets
    no Python default, and the columns have no database defaults)."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


class Writer:
    """Rows of one model, given as tuples of `columns` (attnames, the primary key included);
    the other columns get their default. Use as a context manager and `add()` rows."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(columns) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
        self.columns = list(columns)
        self.rest = [name for name in fields if name not in self.columns]
        self.constants = tuple(_constant(fields[name]) for name in self.rest)
        self.json = [i for i, name in enumerate([*self.columns, *self.rest])
                     if isinstance(fields[name], models.JSONField)]
        self.written = 0
        self._batch: list[models.Model] = []
        self._copy: Any = None
        self._cursor: Any = None

    def __enter__(self) -> Writer:
        if is_postgresql():
            names = _column_list(self.model, [*self.columns, *self.rest])
            self._cursor = connection.cursor()
            raw = self._cursor.cursor  # psycopg's own cursor under Django's wrapper
            table = connection.ops.quote_name(self.model._meta.db_table)
            self._copy_context = raw.copy(f"COPY {table} ({names}) FROM STDIN")
            self._copy = self._copy_context.__enter__()
        return self

    def add(self, row: Sequence[Any]) -> None:
        values = (*row, *self.constants)
        if self._copy is not None:
            if self.json:
                listed = list(values)
                for i in self.json:
                    listed[i] = json.dumps(listed[i])
                values = tuple(listed)
            self._copy.write_row(values)
        else:
            self._batch.append(self.model(**dict(zip([*self.columns, *self.rest], values,
                                                     strict=True))))
            if len(self._batch) >= SQLITE_BATCH:
                self._flush()
        self.written += 1

    def add_all(self, rows: Iterable[Sequence[Any]]) -> int:
        for row in rows:
            self.add(row)
        return self.written

    def _flush(self) -> None:
        self.model._default_manager.bulk_create(self._batch, batch_size=SQLITE_BATCH)
        self._batch = []

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        if self._copy is not None:
            self._copy_context.__exit__(kind, error, trace)
            self._cursor.close()
        elif kind is None and self._batch:
            self._flush()


def write(model: type[models.Model], columns: Sequence[str],
          rows: Iterable[Sequence[Any]]) -> int:
    """Write all `rows` of `model` (see Writer); the number written."""
    with Writer(model, columns) as writer:
        return writer.add_all(rows)


def write_integers(model: type[models.Model], columns: Sequence[str],
                   rows: Iterable[Sequence[int]], chunk: int = 100_000) -> int:
    """`write` for rows of integers only (attendance, through tables): on PostgreSQL the COPY
    text is formatted here, a chunk at a time, faster than a row at a time."""
    if not is_postgresql() or len(columns) != len(model._meta.concrete_fields):
        return write(model, columns, rows)
    names = _column_list(model, columns)
    table = connection.ops.quote_name(model._meta.db_table)
    written = 0
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({names}) FROM STDIN") as copy:
        lines: list[str] = []
        for row in rows:
            lines.append("\t".join(map(str, row)))
            if len(lines) >= chunk:
                copy.write("\n".join(lines) + "\n")
                written += len(lines)
                lines = []
        if lines:
            copy.write("\n".join(lines) + "\n")
            written += len(lines)
    return written


def next_id(model: type[models.Model]) -> int:
    """The first free primary key: rows written with explicit ids start there."""
    highest = model._default_manager.aggregate(highest=models.Max("pk"))["highest"]
    return (highest or 0) + 1


def ids_written(*written: type[models.Model]) -> None:
    """After rows were written with explicit ids: PostgreSQL's sequences move past them (SQLite's
    AUTOINCREMENT follows the largest id by itself)."""
    if not is_postgresql():
        return
    with connection.cursor() as cursor:
        for model in written:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, 'id'), "  # noqa: S608 - table names are the models'
                f"GREATEST((SELECT MAX(id) FROM {connection.ops.quote_name(table)}), 1))",
                [table])


@dataclass
class Wipe:
    """What emptying `targets` does to the database, as the ORM's cascade would, per table.

    `emptied`: every row goes. The targets, and every model with a NOT NULL CASCADE key to an
    emptied model: each of its rows refers to a deleted row, so the ORM would delete them all
    (the members' OTP devices and tokens, admin's log, the m2m link tables). seed_demo's guard
    does not check those outside Chapterhouse's apps, and need not: they hold nothing that is not
    about a deleted row.
    `pruned`: only the rows referring to a deleted row go (a CASCADE key that may be NULL), with
    a DELETE ... WHERE, never a TRUNCATE: the other rows are not the demo's to delete.
    `unlinked`: SET_NULL keys to a deleted row become NULL, one UPDATE per table, the rows stay
    (the audit log keeps its history, its actor forgotten, as the ORM did)."""

    emptied: dict[str, type[models.Model]] = field(default_factory=dict)
    pruned: dict[str, list[models.ForeignKey[Any, Any]]] = field(default_factory=dict)
    unlinked: dict[str, list[models.ForeignKey[Any, Any]]] = field(default_factory=dict)
    by_label: dict[str, type[models.Model]] = field(default_factory=dict)

    def hits(self, key: models.ForeignKey[Any, Any], seen: frozenset[str] = frozenset()) -> str:
        """SQL true for the rows whose `key` refers to a row being deleted."""
        column = connection.ops.quote_name(key.column)
        target = _label(key.related_model)
        if target in self.emptied:
            return f"{column} IS NOT NULL"
        if target in seen:
            raise ValueError(f"Cannot empty a cycle of nullable CASCADE keys through {target}.")
        model = self.by_label[target]
        return (f"{column} IN (SELECT {connection.ops.quote_name(str(model._meta.pk.column))} "  # noqa: S608 - names are the models'
                f"FROM {connection.ops.quote_name(model._meta.db_table)} "
                f"WHERE {self.where(target, seen | {target})})")

    def where(self, label: str, seen: frozenset[str] = frozenset()) -> str:
        """SQL true for the rows of pruned `label` that go."""
        return " OR ".join(f"({self.hits(key, seen | {label})})" for key in self.pruned[label])

    def depth(self, label: str) -> int:
        """How many pruned tables lie between `label` and an emptied one (delete deepest first,
        while the rows its condition reads are still there)."""
        return 1 + max((self.depth(_label(key.related_model)) for key in self.pruned[label]
                        if _label(key.related_model) in self.pruned), default=0)


def _keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)]


def plan(targets: Iterable[type[models.Model]]) -> Wipe:
    """What emptying `targets` reaches, in every app (through tables included); see Wipe."""
    wipe = Wipe(emptied={model._meta.label_lower: model for model in targets})
    everything = [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy]
    wipe.by_label = {m._meta.label_lower: m for m in everything}
    grew = True
    while grew:
        grew = False
        for model in everything:
            label = model._meta.label_lower
            if label in wipe.emptied:
                continue
            cascade = [key for key in _keys(model) if key.remote_field.on_delete is models.CASCADE
                       and (_label(key.related_model) in wipe.emptied
                            or _label(key.related_model) in wipe.pruned)]
            if any(not key.null and _label(key.related_model) in wipe.emptied for key in cascade):
                wipe.emptied[label] = model
                wipe.pruned.pop(label, None)
                grew = True
            elif cascade and ([k.name for k in wipe.pruned.get(label, [])]
                              != [k.name for k in cascade]):
                wipe.pruned[label] = cascade
                grew = True
    deleted = set(wipe.emptied) | set(wipe.pruned)
    for model in everything:
        label = model._meta.label_lower
        if label in wipe.emptied:
            continue
        for key in _keys(model):
            if _label(key.related_model) not in deleted:
                continue
            if key.remote_field.on_delete is models.SET_NULL:
                wipe.unlinked.setdefault(label, []).append(key)
            elif key.remote_field.on_delete is not models.CASCADE:
                raise ValueError(f"{label}.{key.name} refers to a table being emptied and is "
                                 "neither CASCADE nor SET_NULL: say what the demo does with it.")
    return wipe


def dependants(targets: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models whose every row goes along with `targets` (see Wipe.emptied)."""
    return list(plan(targets).emptied.values())


def _label(model: Any) -> str:
    concrete = getattr(getattr(model, "_meta", None), "concrete_model", None)
    return concrete._meta.label_lower if concrete is not None else ""


def empty(targets: Iterable[type[models.Model]]) -> list[str]:
    """Delete every row of `targets` and what refers to them as the ORM's cascade would (see
    Wipe), in one statement per table (TRUNCATE on PostgreSQL for the emptied ones); the tables
    emptied. Call inside a transaction."""
    wipe = plan(targets)
    quote = connection.ops.quote_name
    tables = sorted({m._meta.db_table for m in wipe.emptied.values()})
    with connection.cursor() as cursor:
        # First the keys and rows that read the deleted rows' ids, while those rows exist.
        for label, keys in sorted(wipe.unlinked.items()):
            model = wipe.by_label[label]
            sets = ", ".join(
                f"{quote(k.column)} = NULL" if _label(k.related_model) in wipe.emptied
                else f"{quote(k.column)} = CASE WHEN {wipe.hits(k)} THEN NULL "
                     f"ELSE {quote(k.column)} END" for k in keys)
            where = " OR ".join(f"({wipe.hits(k)})" for k in keys)
            cursor.execute(f"UPDATE {quote(model._meta.db_table)} SET {sets} WHERE {where}")  # noqa: S608
        for label in sorted(wipe.pruned, key=lambda label: (-wipe.depth(label), label)):
            table = quote(wipe.by_label[label]._meta.db_table)
            cursor.execute(f"DELETE FROM {table} WHERE {wipe.where(label)}")  # noqa: S608
        if is_postgresql():
            # Rows written earlier in the transaction have deferred checks still pending, which
            # TRUNCATE refuses: run them now (the demo's own keys are deferred again after).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            # TRUNCATE refuses a table that a kept table's key refers to, even when no row does
            # any more (above): those keys are dropped and made again (checked) around it.
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype = 'f' AND confrelid::regclass::text = ANY(%s) "
                "AND NOT conrelid::regclass::text = ANY(%s)", [tables, tables])
            keys = cursor.fetchall()
            for table, name, _definition in keys:
                cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
            cursor.execute("TRUNCATE " + ", ".join(quote(t) for t in tables))
            for table, name, definition in keys:
                cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # The foreign keys are deferred to the end of the transaction: any order works.
            for table in tables:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608
    return tables


@contextmanager
def loading(targets: Iterable[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, while the block writes millions of rows into `targets`: their foreign
    keys and plain indexes are dropped, then made again at the end (one scan and one sort per
    key, instead of a trigger event and an index insertion per row). Primary keys and unique
    constraints stay, so a duplicate still fails at once. Inside a transaction: another
    session never sees the tables without them. Elsewhere, nothing changes."""
    if not is_postgresql():
        yield
        return
    tables = [m._meta.db_table for m in targets]
    with connection.cursor() as cursor:
        # Deferred checks of rows already written must run before their table is altered.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype = 'f' AND conrelid::regclass::text = ANY(%s)",
            [tables])
        keys = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM "
            "pg_constraint c WHERE c.conname = i.indexname)", [tables])
        indexes = cursor.fetchall()
        for table, name, _definition in keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT "
                           f"{connection.ops.quote_name(name)} {definition}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
