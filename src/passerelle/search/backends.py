"""Full-text matching on each database's own engine, behind one contract.

``match(entries, groups, words=ALL)`` narrows a queryset of search entries to
those matching, and annotates ``score`` (higher is better); ``best(groups, n)``
gives the n best from the index alone. ``groups`` is one list of alternatives
per word of the query: an entry matches a group when its names hold the word
(or, for the last word, start with it) or its words hold one of the word's
stems. All groups must match, all but one, or any (call texts, where no record
holds every word).

Tokens reach the engines only as quoted plain words (search.text keeps
letters and digits alone), so no FTS or SQL syntax typed by a user survives.
Names weigh more than running text: a record named "IARC" ranks above one
that mentions IARC.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Lookup, QuerySet
from django.db.models.expressions import RawSQL

NAME_WEIGHT, WORD_WEIGHT = 4.0, 1.0


@dataclass(frozen=True)
class Alternatives:
    """What one word of a query may match: names, name prefixes, stems."""

    names: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()


#: How many of a query's words an entry must hold.
ALL, MOST, ANY = "all", "all but one", "any"


def match(entries: QuerySet, groups: list[Alternatives], *, words: str = ALL) -> QuerySet:
    """The matching entries, annotated with ``score``; the engine joins the filters."""
    if connection.vendor == "postgresql":
        expression = _tsquery(groups, words)
        weights = f"'{{0, 0, {WORD_WEIGHT / NAME_WEIGHT}, 1}}'::float4[]"
        return entries.extra(
            where=["search_searchentry.document @@ to_tsquery('simple', %s)"],
            params=[expression],
            select={
                "score": f"ts_rank({weights}, search_searchentry.document, "
                "to_tsquery('simple', %s), 1)"
            },
            select_params=[expression],
        )
    return entries.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[_fts5_query(groups, words)],
        select={"score": f"-bm25(search_fts, {NAME_WEIGHT}, {WORD_WEIGHT})"},
    )


def best(groups: list[Alternatives], limit: int, *, words: str = ALL) -> list[tuple[int, float]]:
    """(entry id, score) of the ``limit`` best matches, from the full-text index alone.

    Ranking tens of thousands of matches costs the same either way; joining each of
    them to the entries' table first doubles it. Callers without filters take the best
    ids here and check visibility on those alone.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            weights = f"'{{0, 0, {WORD_WEIGHT / NAME_WEIGHT}, 1}}'::float4[]"
            cursor.execute(
                f"SELECT id, ts_rank({weights}, document, query, 1) AS score "
                "FROM search_searchentry, to_tsquery('simple', %s) AS query "
                "WHERE document @@ query ORDER BY score DESC, id LIMIT %s",
                [_tsquery(groups, words), limit],
            )
        else:
            cursor.execute(
                f"SELECT rowid, -bm25(search_fts, {NAME_WEIGHT}, {WORD_WEIGHT}) AS score "
                "FROM search_fts WHERE search_fts MATCH %s ORDER BY score DESC, rowid LIMIT %s",
                [_fts5_query(groups, words), limit],
            )
        return cursor.fetchall()


class Among(Lookup):
    """``field`` is one of these ids, as a filter: ``entries.filter(among("pk", ids))``.

    On PostgreSQL the ids go as one array parameter (``= ANY(%s)``) rather than one
    placeholder each: psycopg takes 9 ms to parse a query of 2,000 placeholders,
    three times longer than the database takes to run it.
    """

    lookup_name = "among"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        ids = [int(pk) for pk in self.rhs]
        if connection.vendor == "postgresql":
            return f"{column} = ANY(%s)", [*params, ids]
        if not ids:
            return "0 = 1", params
        return f"{column} IN ({', '.join(['%s'] * len(ids))})", [*params, *ids]


def among(field: str, ids) -> Among:
    return Among(F(field), list(ids))


def matching_ids(groups: list[Alternatives], *, words: str = ALL, kind: str = "") -> RawSQL:
    """The ids of the matching entries as a subquery, for ``pk__in`` (no ranking).

    ``kind``: only entries of that kind. On PostgreSQL, a kind of record has its own part
    of the index (``KIND_DOCUMENTS``): a word that thousands of activities hold is found
    among 552 organizations in 4 ms, where the whole index made the planner scan every
    entry (430 ms for the API's ``/organizations/?q=cancer`` on the medium set)."""
    if connection.vendor == "postgresql":
        if kind:
            return RawSQL(
                "SELECT id FROM search_searchentry "
                "WHERE kind = %s AND document @@ to_tsquery('simple', %s)",
                [kind, _tsquery(groups, words)],
            )
        return RawSQL(
            "SELECT id FROM search_searchentry WHERE document @@ to_tsquery('simple', %s)",
            [_tsquery(groups, words)],
        )
    return RawSQL(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts5_query(groups, words)]
    )


def _combine(parts: list[str], words: str, both: str, either: str) -> str:
    if words == ANY or len(parts) == 1:
        return f" {either} ".join(parts) if words == ANY else parts[0]
    if words == MOST and len(parts) > 2:
        return f" {either} ".join(
            "(" + f" {both} ".join(p for j, p in enumerate(parts) if j != skipped) + ")"
            for skipped in range(len(parts))
        )
    if words == MOST:
        return f" {either} ".join(parts)
    return f" {both} ".join(parts)


def _terms(alternatives: Alternatives) -> list[str]:
    """A word's tokens, once each: they are looked for in every column, and each column's
    weight ranks where they are found (a name counts more than running text)."""
    return list(dict.fromkeys((*alternatives.names, *alternatives.stems)))


def _fts5_query(groups: list[Alternatives], words: str) -> str:
    def group(alternatives: Alternatives) -> str:
        terms = [f'"{t}"' for t in _terms(alternatives)]
        terms += [f'"{t}" *' for t in alternatives.prefixes]
        return "(" + " OR ".join(terms) + ")"

    return _combine([group(g) for g in groups], words, "AND", "OR")


def _tsquery(groups: list[Alternatives], words: str) -> str:
    def group(alternatives: Alternatives) -> str:
        terms = [f"'{t}'" for t in _terms(alternatives)]
        terms += [f"'{t}':*" for t in alternatives.prefixes]
        return "(" + " | ".join(terms) + ")"

    return _combine([group(g) for g in groups], words, "&", "|")


#: A word found in more entries than this says little when others are rarer (as "cancer"
#: in a cancer cluster's network): when not every word can match, it is left out.
COMMON = 5000


def common(groups: list[Alternatives]) -> set[int]:
    """The positions of the words that more than COMMON entries hold.

    SQLite's FTS5 counts them, stopping at COMMON. PostgreSQL cannot stop early: its GIN
    index hands over every match of a word at once (70 ms for "cell" among 180k
    entries), so it is asked for its planner's estimate instead, taken from the word
    frequencies ANALYZE keeps (the "count estimate" of the PostgreSQL wiki): common
    words are exactly those it tracks best.
    """
    found = set()
    with connection.cursor() as cursor:
        for position, alternatives in enumerate(groups):
            if connection.vendor == "postgresql":
                cursor.execute(
                    "EXPLAIN (FORMAT JSON) SELECT 1 FROM search_searchentry "
                    "WHERE document @@ to_tsquery('simple', %s)",
                    [_tsquery([alternatives], ALL)],
                )
                plan = cursor.fetchone()[0]
                if isinstance(plan, str):
                    plan = json.loads(plan)
                holding = plan[0]["Plan"]["Plan Rows"]
            else:
                cursor.execute(
                    "SELECT count(*) FROM (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
                    "LIMIT %s)",
                    [_fts5_query([alternatives], ALL), COMMON],
                )
                holding = cursor.fetchone()[0]
            if holding >= COMMON:
                found.add(position)
    return found


# Schema: what each engine needs beside the plain table (run by the migration).

SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        names, words, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_fts(rowid, names, words) VALUES (new.id, new.names, new.words);
    END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, names, words)
        VALUES ('delete', old.id, old.names, old.words);
    END""",
    """CREATE TRIGGER search_fts_update AFTER UPDATE OF names, words ON search_searchentry BEGIN
        INSERT INTO search_fts(search_fts, rowid, names, words)
        VALUES ('delete', old.id, old.names, old.words);
        INSERT INTO search_fts(rowid, names, words) VALUES (new.id, new.names, new.words);
    END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_fts_update",
    "DROP TRIGGER IF EXISTS search_fts_delete",
    "DROP TRIGGER IF EXISTS search_fts_insert",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRESQL_SCHEMA = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE search_searchentry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', names), 'A') ||
        setweight(to_tsvector('simple', words), 'B')) STORED""",
    "CREATE INDEX search_entry_document ON search_searchentry USING gin (document)",
    "CREATE INDEX search_term_trigram ON search_searchterm USING gin (term gin_trgm_ops)",
]
#: The kinds the API lists by words, each with its part of the full-text index (a partial
#: GIN index: the planner then estimates a kind's matches from its own entries).
KINDS_LISTED = ("organization", "person", "activity")
KIND_DOCUMENTS = [
    f"CREATE INDEX IF NOT EXISTS search_entry_document_{kind} ON search_searchentry "
    f"USING gin (document) WHERE kind = '{kind}'"
    for kind in KINDS_LISTED
]
KIND_DOCUMENTS_DROP = [
    f"DROP INDEX IF EXISTS search_entry_document_{kind}" for kind in KINDS_LISTED
]
POSTGRESQL_DROP = [
    *KIND_DOCUMENTS_DROP,
    "DROP INDEX IF EXISTS search_term_trigram",
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_searchentry DROP COLUMN IF EXISTS document",
]


def create_schema(apps, schema_editor) -> None:
    statements = (
        POSTGRESQL_SCHEMA if schema_editor.connection.vendor == "postgresql" else SQLITE_SCHEMA
    )
    for statement in statements:
        schema_editor.execute(statement)


def restore_schema(apps, schema_editor) -> None:
    """Put back SQLite's triggers after a migration that altered ``search_searchentry``, and
    rebuild the full-text index from the table.

    SQLite alters a table by making a new one and copying the rows: the triggers that
    keep ``search_fts`` in step go with the old table, and nothing written afterwards
    would be found. Every migration that alters the entries' table must end with this.
    PostgreSQL alters in place; its generated column and index stay.
    """
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in [*SQLITE_DROP, *SQLITE_SCHEMA]:
        schema_editor.execute(statement)
    schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")


def create_kind_documents(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in KIND_DOCUMENTS:
            schema_editor.execute(statement)


def drop_kind_documents(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in KIND_DOCUMENTS_DROP:
            schema_editor.execute(statement)


def drop_schema(apps, schema_editor) -> None:
    statements = POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)
