"""Full-text matching on each database's own engine, behind one contract.

``match(entries, groups, any_group=False)`` narrows a queryset of search entries
to those matching, and annotates ``score`` (higher is better). ``groups`` is
one list of alternatives per word of the query: an entry matches a group when
its names hold the word (or, for the last word, start with it) or its words
hold one of the word's stems. All groups must match, or any one of them with
``any_group`` (call texts, where no record holds every word).

Tokens reach the engines only as quoted plain words (search.text keeps
letters and digits alone), so no FTS or SQL syntax typed by a user survives.
Names weigh more than running text: a record named "IARC" ranks above one
that mentions IARC.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

NAME_WEIGHT, WORD_WEIGHT = 4.0, 1.0


@dataclass(frozen=True)
class Alternatives:
    """What one word of a query may match: names, name prefixes, stems."""

    names: tuple[str, ...]
    prefixes: tuple[str, ...] = ()
    stems: tuple[str, ...] = ()


def match(entries: QuerySet, groups: list[Alternatives], *, any_group: bool = False) -> QuerySet:
    if connection.vendor == "postgresql":
        expression = _tsquery(groups, any_group)
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
        params=[_fts5_query(groups, any_group)],
        select={"score": f"-bm25(search_fts, {NAME_WEIGHT}, {WORD_WEIGHT})"},
    )


def matching_ids(groups: list[Alternatives], *, any_group: bool = False) -> RawSQL:
    """The ids of the matching entries as a subquery, for ``pk__in`` (no ranking)."""
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT id FROM search_searchentry WHERE document @@ to_tsquery('simple', %s)",
            [_tsquery(groups, any_group)],
        )
    return RawSQL(
        "SELECT rowid FROM search_fts WHERE search_fts MATCH %s", [_fts5_query(groups, any_group)]
    )


def _fts5_query(groups: list[Alternatives], any_group: bool) -> str:
    def group(alternatives: Alternatives) -> str:
        terms = [f'names:"{t}"' for t in alternatives.names]
        terms += [f'names:"{t}" *' for t in alternatives.prefixes]
        terms += [f'words:"{t}"' for t in alternatives.stems]
        return "(" + " OR ".join(terms) + ")"

    return (" OR " if any_group else " AND ").join(group(g) for g in groups)


def _tsquery(groups: list[Alternatives], any_group: bool) -> str:
    def group(alternatives: Alternatives) -> str:
        terms = [f"'{t}':A" for t in alternatives.names]
        terms += [f"'{t}':*A" for t in alternatives.prefixes]
        terms += [f"'{t}':B" for t in alternatives.stems]
        return "(" + " | ".join(terms) + ")"

    return (" | " if any_group else " & ").join(group(g) for g in groups)


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
POSTGRESQL_DROP = [
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


def drop_schema(apps, schema_editor) -> None:
    statements = POSTGRESQL_DROP if schema_editor.connection.vendor == "postgresql" else SQLITE_DROP
    for statement in statements:
        schema_editor.execute(statement)
