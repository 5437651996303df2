"""One search over every kind of record: what the portal, the back office, the API and the
matchmaker ask.

The query's words are analysed like the index (search.text); a word the index
has never seen is replaced by its nearest known terms (typos); the database's
full-text engine finds and ranks (search.backends); the user's visibility and
the facets narrow; semantic neighbours, where embeddings exist, are fused with
the lexical ranking by reciprocal rank fusion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from passerelle.core.visibility import entries_visible_to

from . import backends, semantic
from .backends import ALL, ANY, MOST, Alternatives, among, match, matching_ids
from .models import SearchEntry, SearchTerm, entry_type
from .text import WORD, fold, query_words, stems

#: Candidates read from the engine for one query: the facets count among these.
CANDIDATES = 500
#: Reciprocal rank fusion's constant (Cormack et al.): ranks past ~60 weigh little.
RRF_K = 60
MODES = ("lexical", "semantic", "hybrid")
#: Hybrid ranking: below FEW lexical hits every related neighbour joins; above, only the
#: neighbours at least SURE (cosine similarity) that the words did not find.
FEW, SURE = 3, 0.5
FACETS = ("kind", "subkind", "country", "topic", "year", "role")


@dataclass
class Filters:
    kind: str = ""
    subkind: str = ""
    country: str = ""
    topic: str = ""
    year: int | None = None
    role: str = ""
    in_region: bool | None = None

    def chosen(self) -> bool:
        return any(value not in ("", None) for value in vars(self).values())

    def apply(self, entries: QuerySet) -> QuerySet:
        if self.kind:
            entries = entries.filter(kind=self.kind)
        if self.subkind:
            entries = entries.filter(subkind=self.subkind)
        if self.country:
            entries = entries.filter(country=self.country.upper()[:2])
        if self.topic:
            entries = entries.filter(topics__contains=f" {self.topic} ")
        if self.year:
            entries = entries.filter(
                Q(year_end__gte=self.year) | Q(year_end__isnull=True), year_start__lte=self.year
            )
        if self.role:
            entries = entries.filter(roles__contains=f" {self.role} ")
        if self.in_region is not None:
            entries = entries.filter(in_region=self.in_region)
        return entries


@dataclass
class Hit:
    entry: SearchEntry
    score: float
    title: SafeString
    summary: SafeString


@dataclass
class Results:
    query: str
    mode: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    capped: bool = False
    page: int = 1
    per_page: int = 20
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    corrections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    def groups(self) -> list[tuple[str, list[Hit]]]:
        """The page's hits by kind of record, the kind of the best hit first."""
        grouped: dict[str, list[Hit]] = {}
        for hit in self.hits:
            grouped.setdefault(hit.entry.kind, []).append(hit)
        return list(grouped.items())


def _known(terms: set[str]) -> set[str]:
    return set(SearchTerm.objects.filter(term__in=terms).values_list("term", flat=True))


_vocabulary: tuple[int, list[str]] | None = None


def _similar_terms(word: str, limit: int = 3) -> list[str]:
    """The index's terms nearest a word it does not hold: trigram similarity on PostgreSQL
    (pg_trgm, indexed), rapidfuzz over the vocabulary held in memory on SQLite."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        return list(
            SearchTerm.objects.filter(term__trigram_similar=word)
            .annotate(similarity=TrigramSimilarity("term", word))
            .filter(similarity__gte=0.35)
            .order_by("-similarity", "term")
            .values_list("term", flat=True)[:limit]
        )
    from rapidfuzz import fuzz, process

    global _vocabulary
    size = SearchTerm.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    if _vocabulary is None or _vocabulary[0] != size:
        _vocabulary = (size, list(SearchTerm.objects.values_list("term", flat=True)))
    found = process.extract(word, _vocabulary[1], scorer=fuzz.ratio, limit=limit, score_cutoff=75)
    return [term for term, _score, _index in sorted(found, key=lambda f: (-f[1], f[0]))]


def analyse(text: str) -> tuple[list[Alternatives], dict[str, list[str]]]:
    """Per word of the query, what it may match; and the typos corrected."""
    words = query_words(text)
    alternatives = {w: {w, *stems(w)} for w in words}
    known = _known({t for ts in alternatives.values() for t in ts})
    groups, corrections = [], {}
    for position, word in enumerate(words):
        names, found_stems = [word], list(stems(word))
        if not alternatives[word] & known and len(word) >= 4 and not word.isdigit():
            similar = _similar_terms(word)
            if similar:
                corrections[word] = similar
                names += similar
                found_stems += similar
        last = position == len(words) - 1
        prefixes = (word,) if last and len(word) >= 3 else ()
        groups.append(Alternatives(tuple(names), prefixes, tuple(found_stems)))
    return groups, corrections


def lexical_ranking(
    text: str,
    entries: QuerySet,
    *,
    any_word: bool = False,
    limit: int = CANDIDATES,
    filtered: bool = True,
    at_least: int = 1,
) -> tuple[list[tuple[int, float]], dict[str, list[str]], bool]:
    """(entry id, score) best first; the corrections; whether fewer words than all matched.

    Every word must match; failing that, all words but one; failing that, any (for a
    call text, any at once). When not every word is required, the words that thousands
    of entries hold are left out if rarer ones remain: they would rank everything and
    tell nothing. ``filtered=False`` says ``entries`` narrows by visibility
    alone: on SQLite, the index's best ids are then taken first and checked after,
    which halves the time of a query whose words are common (FTS5 ranks fastest
    alone). PostgreSQL's planner folds the check into the ranking scan and is faster
    joined (p95 13 ms instead of 24 on the medium set's judged queries).
    """
    groups, corrections = analyse(text)
    if not groups:
        return [], corrections, False
    tries = [ANY] if any_word else [ALL, MOST, ANY] if len(groups) > 2 else [ALL, ANY]
    tries = tries[: 1 if len(groups) == 1 else None]
    everyday: set[int] | None = None
    ranked: list[tuple[int, float]] = []
    relaxed = False
    for tier, words in enumerate(tries):
        chosen = groups
        if words != ALL and len(groups) > 1:
            everyday = backends.common(groups) if everyday is None else everyday
            chosen = [g for i, g in enumerate(groups) if i not in everyday] or groups
        if filtered or connection.vendor == "postgresql":
            found = list(
                match(entries, chosen, words=words)
                .order_by("-score", "pk")
                .values_list("pk", "score")[:limit]
            )
        else:
            best_ids = backends.best(chosen, limit * 2, words=words)
            shown = set(
                entries.filter(among("pk", [pk for pk, _s in best_ids])).values_list(
                    "pk", flat=True
                )
            )
            found = [(pk, score) for pk, score in best_ids if pk in shown][:limit]
        if found and not ranked:
            relaxed = tier > 0
        seen = {pk for pk, _s in ranked}
        # a stricter try's entries stay ahead of a looser one's, whatever their scores
        ranked += [(pk, score) for pk, score in found if pk not in seen]
        if len(ranked) >= at_least:
            break
    return ranked[:limit], corrections, relaxed


def hybrid_neighbours(
    lexical: list[tuple[int, float]], neighbours: list[tuple[int, float]]
) -> list[int]:
    """The semantic ranking to fuse with a lexical one. Where the words found records, the
    model may reorder them but adds others only when it is sure: the nearest names to a
    misspelt name are other names, not answers. Where the words found little, the model's
    related records are the answer (a paraphrase shares no word with its record)."""
    if len(lexical) < FEW:
        return [pk for pk, _s in neighbours]
    found = {pk for pk, _s in lexical}
    return [pk for pk, similarity in neighbours if pk in found or similarity >= SURE]


#: Up to this many matches, the API's list is filtered by the ids themselves.
LISTED_BY_IDS = 2000


def matching_records(model, text: str) -> QuerySet | list[int]:
    """The primary keys of the records of ``model`` whose entry holds every word of ``text``
    (the API's ``q``), for ``pk__in``: the index answers in milliseconds where a substring
    search would read every name of every record.

    Up to ``LISTED_BY_IDS`` matches, the ids themselves: PostgreSQL estimates a word's
    matches from every kind of entry (``lyon``: 2,221 organizations expected, 166 found)
    and would walk the whole name index for a page of them (107 ms against 8 on the
    medium set). More than that, a subquery, for which its plan is the right one."""
    groups, _corrections = analyse(text)
    if not groups:
        return []
    kind = model._meta.model_name if model._meta.model_name in backends.KINDS_LISTED else ""
    matches = SearchEntry.objects.filter(
        content_type=entry_type(model), pk__in=matching_ids(groups, kind=kind)
    ).values_list("object_id", flat=True)
    first = list(matches[: LISTED_BY_IDS + 1])
    return first if len(first) <= LISTED_BY_IDS else matches


def fuse(*rankings: list[int], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of rankings of entry ids."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, pk in enumerate(ranking):
            scores[pk] = scores.get(pk, 0.0) + 1.0 / (k + rank + 1)
    return sorted(scores.items(), key=lambda item: (-item[1], item[0]))


def highlight(text: str, terms: set[str]) -> SafeString:
    """The text, escaped, with the words that match the query in <mark>."""
    if not text or not terms:
        return escape(text)
    pieces, last = [], 0
    for found in WORD.finditer(text):
        word = fold(found.group())
        if (
            word in terms
            or terms.intersection(stems(word))
            or any(word.startswith(t) for t in terms if len(t) >= 3)
        ):
            pieces += [escape(text[last : found.start()]), f"<mark>{escape(found.group())}</mark>"]
            last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))


FACET_COLUMNS = ("kind", "subkind", "country", "topics", "roles", "year_start", "year_end")


def _facets(rows) -> dict[str, list[tuple[str, int]]]:
    """Counts of each facet's values among the candidates (rows of FACET_COLUMNS)."""
    counts: dict[str, dict[str, int]] = {facet: {} for facet in FACETS}
    this_year = date.today().year

    def add(facet: str, value) -> None:
        if value:
            counts[facet][str(value)] = counts[facet].get(str(value), 0) + 1

    for kind, subkind, country, topics, roles, year_start, year_end in rows:
        add("kind", kind)
        add("subkind", subkind)
        add("country", country)
        for slug in topics.split():
            add("topic", slug)
        for role in roles.split():
            add("role", role)
        if year_start:
            for year in range(year_start, (year_end or this_year) + 1):
                add("year", year)
    return {
        facet: sorted(values.items(), key=lambda item: (-item[1], item[0]))[:20]
        for facet, values in counts.items()
    }


def search(
    text: str,
    user,
    filters: Filters | None = None,
    *,
    page: int = 1,
    per_page: int = 20,
    mode: str = "hybrid",
) -> Results:
    """Records matching ``text`` that ``user`` may read, best first, with facets."""
    text = (text or "").strip()[:1000]
    filters = filters or Filters()
    if mode not in MODES or not semantic.available():
        mode = "lexical" if not semantic.available() else "hybrid"
    results = Results(query=text, mode=mode, page=max(1, page), per_page=per_page)
    if not semantic.available():
        results.notes.append(_("Semantic search is not installed: results are lexical."))
    if not query_words(text):
        results.notes.append(_("Type one or more words to search."))
        return results
    entries = filters.apply(entries_visible_to(SearchEntry.objects.all(), user))
    lexical, results.corrections, relaxed = lexical_ranking(
        text, entries, filtered=filters.chosen()
    )
    if relaxed:
        results.notes.append(_("No record has every word; these have some of them."))
    ranking = [(pk, score) for pk, score in lexical]
    if mode != "lexical":
        neighbours = semantic.neighbours(text, entries, limit=CANDIDATES)
        if mode == "semantic":
            ranking = neighbours
        else:
            ranking = fuse([pk for pk, _s in lexical], hybrid_neighbours(lexical, neighbours))
    results.capped = len(ranking) >= CANDIDATES
    results.total = len(ranking)
    order = {pk: position for position, (pk, _s) in enumerate(ranking)}
    results.facets = _facets(
        SearchEntry.objects.filter(among("pk", order)).values_list(*FACET_COLUMNS)
    )
    start = (results.page - 1) * per_page
    on_page = [pk for pk, _s in ranking[start : start + per_page]]
    page_entries = sorted(
        SearchEntry.objects.filter(pk__in=on_page).defer("names", "words"),
        key=lambda e: order[e.pk],
    )
    terms = {w for w in query_words(text)} | {
        s for alternatives in results.corrections.values() for s in alternatives
    }
    scores = dict(ranking)
    results.hits = [
        Hit(
            entry,
            scores[entry.pk],
            highlight(entry.shown_title, terms),
            highlight(entry.shown_summary, terms),
        )
        for entry in page_entries
    ]
    return results


def filters_from(params) -> Filters:
    """Filters from a request's query string, ignoring what is malformed."""
    year = params.get("year", "")
    in_region = params.get("in_region", "")
    kind = params.get("kind", "")
    return Filters(
        kind=kind if kind in SearchEntry.Kind.values else "",
        subkind=re.sub(r"[^a-z_]", "", params.get("subkind", ""))[:20],
        country=re.sub(r"[^A-Za-z]", "", params.get("country", ""))[:2],
        topic=re.sub(r"[^a-z0-9-]", "", params.get("topic", ""))[:100],
        year=int(year) if year.isdigit() and 1900 <= int(year) <= 2100 else None,
        role=re.sub(r"[^a-z_]", "", params.get("role", ""))[:20],
        in_region={"1": True, "0": False}.get(in_region),
    )
