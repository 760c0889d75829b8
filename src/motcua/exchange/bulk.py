"""Fast inserts of many rows into one table, below the ORM.

An import writes millions of rows; building a model instance for each would cost more than the
database work. A `TableWriter` takes plain tuples for the columns the import knows and fills the
other columns with the model's defaults, so a column the model gains later still gets a value.
On PostgreSQL rows go through COPY; on SQLite through one prepared INSERT run with executemany.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper

UTC = dt.UTC


def sqlite_time(value: dt.datetime | None) -> str | None:
    """An aware datetime as Django stores it in SQLite: naive UTC text ("2023-03-06 01:30:00")."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(" ")[:-6]  # drop the "+00:00"


def same_time(value: dt.datetime | None) -> dt.datetime | None:
    return value


def time_adapter(connection: BaseDatabaseWrapper) -> Callable[[dt.datetime | None], Any]:
    """How to pass an aware datetime to raw SQL on this database."""
    return sqlite_time if connection.vendor == "sqlite" else same_time


def _default(field: models.Field, now: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    if field.has_default():
        return field.get_default()
    if field.null:
        return None
    if field.empty_strings_allowed:
        return ""
    raise ValueError(f"{field.model.__name__}.{field.name} needs a value from the import")


def field_of(model: type[models.Model], name: str) -> models.Field:
    """A concrete field of `model` by name or attname ("unit" or "unit_id")."""
    for field in model._meta.concrete_fields:
        if name in (field.name, field.attname):
            return field
    raise ValueError(f"{model.__name__} has no column {name}")


def _literal(value: Any) -> str:
    """`value` as an SQL literal when it is a plain constant, else a %s placeholder."""
    if value is True or value is False:
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and "'" not in value and "%" not in value:
        return f"'{value}'"
    return "%s"


class TableWriter:
    """Insert tuples holding `columns` (attnames, in order) into `model`'s table.

    Every other concrete column except an automatic primary key gets its default. `now` is the
    value of auto_now/auto_now_add columns.
    """

    def __init__(
        self, connection: BaseDatabaseWrapper, model: type[models.Model], columns: Sequence[str], now: Any
    ) -> None:
        self.connection = connection
        meta = model._meta
        given = [field_of(model, name) for name in columns]
        attnames = {f.attname for f in given}
        rest = []
        for f in meta.concrete_fields:
            if f.attname in attnames or (f.primary_key and isinstance(f, models.AutoField)):
                continue
            value = f.get_db_prep_save(_default(f, now), connection)
            if value is None:
                continue  # left out of the statement: the column's NULL default does it
            rest.append((f, value))
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        # COPY takes every value as data; an INSERT takes constant defaults as SQL literals, which
        # spares binding them again on every row.
        self.defaults = tuple(value for _f, value in rest)
        self.column_list = ", ".join(quote(f.column) for f in [*given, *(f for f, _v in rest)])
        self.insert_sql = (
            f"INSERT INTO {self.table} ({self.column_list}) VALUES "
            f"({', '.join(['%s'] * len(given) + [_literal(v) for _f, v in rest])})"
        )
        self.literal_defaults = all(_literal(v) != "%s" for _f, v in rest)
        self.rows = 0

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        self.rows += len(rows)
        tail = self.defaults
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {self.table} ({self.column_list}) FROM STDIN") as copy:
                    write_row = copy.write_row
                    for row in rows:
                        write_row(row + tail)
            elif self.literal_defaults:
                cursor.executemany(self.insert_sql, rows)
            else:
                cursor.executemany(self.insert_sql, [row + tail for row in rows])


class DeferredMaintenance:
    """Drop the secondary indexes (and, on PostgreSQL, the foreign keys) of some tables now, and
    create them again at `restore()`.

    Building an index once over all rows is several times cheaper than updating it row by row, and
    PostgreSQL checks a new foreign key with one join instead of one trigger query per row, so a
    large load into (nearly) empty tables runs much faster without them. Only plain indexes are
    dropped — never one that backs a primary key or a unique constraint, nor a partial one (WHERE
    … IS NOT NULL on references that imported rows leave empty: a row outside its condition costs
    only the check, while a rebuild would scan the whole table for nothing) — and every foreign key is
    checked again over all rows when it is added back, so nothing that breaks a constraint can be
    committed. Both databases roll DDL back with the transaction: an import that fails leaves the
    schema as it was. On PostgreSQL the tables stay exclusively locked until the import commits.
    """

    def __init__(self, connection: BaseDatabaseWrapper, models_: Sequence[type[models.Model]]) -> None:
        self.connection = connection
        self.tables = [m._meta.db_table for m in models_]
        self.indexes: list[tuple[str, str]] = []  # (name, CREATE INDEX statement)
        self.foreign_keys: list[tuple[str, str, str]] = []  # (table, name, definition)

    def drop(self) -> None:
        quote = self.connection.ops.quote_name
        vendor = self.connection.vendor
        with self.connection.cursor() as cursor:
            if vendor == "postgresql":
                # Checks still queued from rows written earlier in the transaction (units,
                # procedures) forbid altering the tables they involve: run them now.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in self.tables:
                if vendor == "sqlite":
                    cursor.execute(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
                        "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%' AND sql NOT LIKE '%% WHERE %%'",
                        [table],
                    )
                elif vendor == "postgresql":
                    cursor.execute(
                        "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x "
                        "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
                        "WHERE t.relname = %s AND t.relnamespace = to_regnamespace(current_schema()) "
                        "AND NOT x.indisunique AND NOT x.indisprimary AND x.indpred IS NULL "
                        "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                        [table],
                    )
                else:
                    continue
                found = cursor.fetchall()
                for name, _create in found:
                    cursor.execute(f"DROP INDEX {quote(name)}")
                self.indexes.extend(found)
                if vendor == "postgresql":
                    cursor.execute(
                        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE contype = 'f' AND conrelid = to_regclass(%s)",
                        [quote(table)],
                    )
                    for name, definition in cursor.fetchall():
                        cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                        self.foreign_keys.append((table, name, definition))

    def restore(self) -> None:
        quote = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # as in drop()
            for _name, create in self.indexes:
                cursor.execute(create)
            for table, name, definition in self.foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")
            if self.connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        self.indexes, self.foreign_keys = [], []
