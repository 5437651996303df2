"""Writing many rows fast: plain tuples into the tables, no model instances on the way.

The ORM's ``bulk_create`` builds a model instance and prepares every value of
every row; for the 400k rows of a ROR import that is most of the time. Here
rows are dictionaries of column values, ids are reserved up front (from the
sequence on PostgreSQL, past the current maximum under SQLite's write lock),
and the rows go in with COPY or ``executemany``. Only what needs converting
(UUIDs, JSON, dates) goes through the field's own preparation.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime
from operator import itemgetter

from django.db import connection, models
from django.db.models.fields.json import JSONField

from passerelle.core.maintenance import refresh_statistics
from passerelle.core.signals import records_bulk_loaded


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` fresh primary keys for ``model``; call inside the import's transaction."""
    if count == 0:
        return []
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{pk}"), 0) FROM "{table}"')
        start = cursor.fetchone()[0] + 1
        return list(range(start, start + count))


def _converter(field: models.Field):
    """How a value of this field goes to the database, or None when it goes as it is."""
    if isinstance(field, models.UUIDField):
        if connection.vendor == "postgresql":
            return None
        return lambda value: value.hex if isinstance(value, uuid.UUID) else value
    if isinstance(field, JSONField):
        if connection.vendor == "postgresql":
            from psycopg.types.json import Jsonb

            return lambda value: None if value is None else Jsonb(value)
        return lambda value: None if value is None else json.dumps(value)
    if isinstance(field, models.DateTimeField):
        adapted: dict = {}  # an import stamps every row with the same moment: adapt it once

        def adapt(value):
            if value not in adapted:
                adapted[value] = connection.ops.adapt_datetimefield_value(value)
            return adapted[value]

        return adapt
    return None


def insert_rows(
    model: type[models.Model], rows: Iterable[dict], *, constants: dict | None = None
) -> int:
    """Insert rows given as {attname: value}; every row names the same attributes, in the
    same order, and takes the same ``constants`` besides (see :func:`history_columns`)."""
    rows = list(rows)
    if not rows:
        return 0
    names = list(rows[0])
    if len(names) == 1:
        return insert_tuples(model, names, [(row[names[0]],) for row in rows], constants)
    values = itemgetter(*names)
    return insert_tuples(model, names, [values(row) for row in rows], constants)


def insert_tuples(
    model: type[models.Model],
    names: list[str],
    rows: list[tuple],
    constants: dict | None = None,
) -> int:
    """Insert rows given as tuples of the attributes ``names`` lists, in that order, each
    followed by the same ``constants``: no dictionary per row, and the constants converted
    once."""
    if not rows:
        return 0
    constants = constants or {}
    fields = [model._meta.get_field(name) for name in [*names, *constants]]
    converters = [_converter(f) for f in fields]
    tail = tuple(
        value if convert is None else convert(value)
        for convert, value in zip(converters[len(names) :], constants.values(), strict=True)
    )
    converted = [(i, convert) for i, convert in enumerate(converters[: len(names)]) if convert]
    if converted:

        def prepare(row: tuple) -> tuple:
            values = list(row)
            for i, convert in converted:
                values[i] = convert(values[i])
            return (*values, *tail)

        prepared = [prepare(row) for row in rows]
    elif tail:
        prepared = [row + tail for row in rows]
    else:
        prepared = rows
    columns = ", ".join(f'"{f.column}"' for f in fields)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for row in prepared:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(f'INSERT INTO "{table}" ({columns}) VALUES ({marks})', prepared)
    return len(rows)


def history_columns(*, reason: str, when: datetime) -> dict:
    """What django-simple-history's "created" row adds to the row of a freshly inserted
    record: insert the same rows into the history model with these ``constants``."""
    return {
        "history_date": when,
        "history_change_reason": reason,
        "history_type": "+",
        "history_user_id": None,
    }


def after_bulk_load(*model_list: type[models.Model]) -> None:
    """Tell whoever caches or indexes records that these tables changed, and refresh the
    planner's statistics of them (must run outside a transaction to do both)."""
    records_bulk_loaded.send(sender=after_bulk_load, models=model_list)
    refresh_statistics(*model_list)
