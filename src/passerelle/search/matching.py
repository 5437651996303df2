"""Matchmaking: who should we work with on X?

Given a call text, a theme or a record, people and organizations are ranked
by four signals, each in [0, 1], and every suggestion says why; so are the
networks to join (organizations of kind network) and the programs and projects
to lean on (``networks``), whose network signal is the region's taking part:

- **lexical**: the record itself matches the words, or it took part in
  activities that do (its expertise shows through them; a coordinator's role
  counts more than a participant's);
- **topics**: how many of the theme's topics it works on;
- **semantic**: cosine similarity of sentence embeddings (where installed);
- **network**: ties it already has with the region's organizations, and,
  for partners abroad, a country the region does not work with yet.

Two views matter most: experts in our region for a theme, partners abroad
for it. Everything goes through the visibility rule of core.visibility.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Exists, Model, OuterRef
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passerelle.activities.models import Activity, Participation
from passerelle.core.changes import content_version
from passerelle.core.users import AnyUser
from passerelle.core.visibility import participations_visible_to, reads_every_record
from passerelle.registry.models import Organization, Person

from . import networks, semantic
from .backends import among
from .engine import lexical_ranking
from .models import SearchEntry, entry_type
from .reasons import describe_evidence, write_reasons
from .semantic import entry_text
from .text import query_words

WEIGHTS = {"lexical": 0.45, "topics": 0.2, "semantic": 0.25, "network": 0.1}
ROLE_WEIGHT = {
    "coordinator": 1.0,
    "organizer": 0.9,
    "party": 0.9,
    "signatory": 0.9,
    "partner": 0.8,
    "co_organizer": 0.8,
    "speaker": 0.7,
    "host": 0.6,
}
SCOPES = ("region", "abroad")
#: How many candidates, best by words and meaning, are weighed further; and how many of
#: those, best by every other signal, have their ties with the region read.
SHORTLIST, FINALISTS = 100, 30
#: An actor in more activities than HUB is a hub: its ties with the region are read up to
#: TIES_CAP shared activities, which says all the network signal needs.
HUB, TIES_CAP = 1000, 50
ACTORS = {"organization": Organization, "person": Person}


@dataclass
class Suggestion:
    kind: str
    uid: str
    name: str
    country: str
    score: float
    signals: dict[str, float]
    shared_topics: list[str] = field(default_factory=list)
    evidence: list[dict] = field(default_factory=list)
    path: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    #: person, organization, network (an organization of kind network) or program (an
    #: activity of kind program or project): what to work with, join or lean on
    group: str = ""
    #: the record's own kind: a cluster, a research institute, a network, a program, a project
    subkind: str = ""
    new_country: bool = False
    actor: tuple[str, int] = ("", 0)
    #: what the words matched: the actor's own record, and how many of its activities
    own_words: bool = False
    worded_activities: int = 0

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "group": self.group,
            "id": self.uid,
            "name": self.name,
            "country": self.country,
            "score": round(self.score, 4),
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
            "shared_topics": self.shared_topics,
            "evidence": self.evidence,
            "path": self.path,
            "reasons": self.reasons,
        }


@dataclass
class Matches:
    query: str
    suggestions: list[Suggestion]
    notes: list[str]


def record_to_match(uid, user: AnyUser) -> Model | None:
    """The activity, organization or person with this stable id that ``user`` may read."""
    from passerelle.core.visibility import visible_to

    for model in (Activity, Organization, Person):
        found = visible_to(model.objects.filter(uid=uid), user).first()
        if found is not None:
            return found
    return None


def _in_scope(entry: SearchEntry, scope: str) -> bool:
    if not scope:
        return True
    if scope == "region":
        return entry.in_region
    if scope == "abroad":
        return bool(entry.country) and entry.country != "FR"
    return entry.country == scope.upper()


def _is_us(entry: SearchEntry) -> bool:
    """The region's own clusters ask the question; they are not an answer to it."""
    return entry.kind == "organization" and entry.subkind == "cluster" and entry.in_region


def _normalized(scores: dict) -> dict:
    top = max(scores.values(), default=0) or 1.0
    return {key: value / top for key, value in scores.items()}


def _record_text(record: Model) -> tuple[str, SearchEntry | None]:
    entry = SearchEntry.objects.filter(
        content_type=entry_type(type(record)), object_id=record.pk
    ).first()
    if entry is None:
        return str(record), None
    return entry_text(entry), entry


def match(
    text: str = "",
    *,
    user: AnyUser,
    record: Model | None = None,
    kind: str = "",
    scope: str = "",
    limit: int = 10,
) -> Matches:
    """People, organizations, networks and programs that fit ``text`` (or ``record``), best
    first, with reasons; ``kind`` narrows them to one group (``networks.GROUPS``)."""
    notes: list[str] = []
    own_entry = None
    if record is not None:
        text, own_entry = _record_text(record)
    text = (text or "").strip()[:5000]
    if not query_words(text):
        return Matches(text, [], [_("Give a theme, a call text or a record to match.")])
    from passerelle.core.visibility import entries_visible_to

    readable = entries_visible_to(SearchEntry.objects.all(), user)
    lexical, _corrections, _relaxed = lexical_ranking(
        text, readable, limit=400, filtered=False, at_least=50
    )
    hits = {pk: score for pk, score in lexical}
    neighbours: dict[int, float] = {}
    if semantic.available():
        neighbours = dict(semantic.neighbours(text, readable, limit=400))
        if not neighbours:
            notes.append(_("No embeddings are stored yet: run passerelle reindex --embeddings."))
    else:
        notes.append(_("Semantic similarity is not installed: lexical and network signals only."))
    entries = {
        e.pk: e
        for e in SearchEntry.objects.filter(among("pk", set(hits) | set(neighbours))).defer(
            "names", "words"
        )
    }

    # the theme's topics: those matched by name, else the commonest among the best activities
    theme_topics = Counter()
    for pk in list(hits)[:200]:
        entry = entries[pk]
        weight = 3 if entry.kind == "topic" else 1
        for slug in entry.topics.split():
            theme_topics[slug] += weight * hits[pk]
    if own_entry is not None:
        for slug in own_entry.topics.split():
            theme_topics[slug] += max(hits.values(), default=1.0) * 3
    theme = {slug for slug, _n in theme_topics.most_common(5)}

    lexical_by_actor: dict[tuple[str, int], float] = defaultdict(float)
    semantic_by_actor: dict[tuple[str, int], float] = defaultdict(float)
    evidence: dict[tuple[str, int], list[tuple[float, int, str]]] = defaultdict(list)
    own_words: set[tuple[str, int]] = set()
    worded: Counter = Counter()
    activity_scores: dict[int, tuple[float, float]] = {}
    top_lexical = max(hits.values(), default=0.0) or 1.0
    for pk, entry in entries.items():
        lex, sem = hits.get(pk, 0.0) / top_lexical, neighbours.get(pk, 0.0)
        if entry.kind in ACTORS:
            actor = (entry.kind, entry.object_id)
            lexical_by_actor[actor] = max(lexical_by_actor[actor], lex)
            semantic_by_actor[actor] = max(semantic_by_actor[actor], sem)
            if lex > 0:
                own_words.add(actor)
        elif entry.kind == "activity":
            activity_scores[entry.object_id] = (lex, sem)
            if entry.subkind in networks.PROGRAM_KINDS:  # a program to join or lean on
                lexical_by_actor[("activity", entry.object_id)] = lex
                semantic_by_actor[("activity", entry.object_id)] = sem
                if lex > 0:
                    own_words.add(("activity", entry.object_id))
    shown = participations_visible_to(
        Participation.objects.filter(among("activity", activity_scores)), user
    ).values_list("activity", "organization", "person", "role")
    for activity, organization, person, role in shown:
        actor = ("organization", organization) if organization else ("person", person)
        lex, sem = activity_scores[activity]
        weight = ROLE_WEIGHT.get(role, 0.5)
        evidence[actor].append((lex + sem, activity, role))
        worded[actor] += lex > 0
        # the best activity shows the expertise; many weak ones do not add up to it
        lexical_by_actor[actor] = max(lexical_by_actor[actor], lex * weight)
        semantic_by_actor[actor] = max(semantic_by_actor[actor], 0.9 * sem * weight)
    if own_entry is not None and own_entry.kind in (*ACTORS, "activity"):
        lexical_by_actor.pop((own_entry.kind, own_entry.object_id), None)
        semantic_by_actor.pop((own_entry.kind, own_entry.object_id), None)

    candidates = set(lexical_by_actor) | {a for a, s in semantic_by_actor.items() if s > 0}
    if kind in ACTORS:
        candidates = {c for c in candidates if c[0] == kind}
    elif kind == "program":
        candidates = {c for c in candidates if c[0] == "activity"}
    elif kind == "network":
        candidates = {c for c in candidates if c[0] == "organization"}
    actor_entries = _actor_entries(readable, candidates)
    actor_entries.update(
        {("activity", e.object_id): e for e in entries.values() if e.kind == "activity"}
    )
    candidates = {
        c
        for c in candidates
        if c in actor_entries
        and _in_scope(actor_entries[c], scope)
        and not _is_us(actor_entries[c])
        and (kind != "network" or actor_entries[c].subkind == "network")
    }
    lexical_n = _normalized({c: lexical_by_actor.get(c, 0.0) for c in candidates})
    # the network is read for the best candidates only: a hub has tens of thousands of ties
    shortlist = set(
        sorted(
            candidates,
            key=lambda c: -(lexical_n.get(c, 0.0) + semantic_by_actor.get(c, 0.0)),
        )[:SHORTLIST]
    )
    candidates &= shortlist
    activity_topics = {e.object_id: e.topics for e in entries.values() if e.kind == "activity"}
    covered = covered_countries(user)

    suggestions = []
    weights = dict(WEIGHTS)
    if not neighbours:
        weights.pop("semantic")
    total_weight = sum(weights.values())
    for candidate in candidates:
        entry = actor_entries[candidate]
        best = sorted(evidence[candidate], reverse=True)[:3]
        topics = set(entry.topics.split())
        for _score, activity, _role in best:
            topics |= set(activity_topics.get(activity, "").split())
        shared = sorted(topics & theme)
        # a hub that does everything is not a specialist: weigh how much of its work fits
        focus = (
            1.0
            if candidate[0] == "activity"
            else min(1.0, 4 * len(evidence[candidate]) / max(1, entry.activities))
        )
        signals = {
            "lexical": lexical_n.get(candidate, 0.0) * (0.4 + 0.6 * focus),
            "topics": len(shared) / len(theme) if theme else 0.0,
            "network": 0.0,  # read below, for the finalists
        }
        if "semantic" in weights:
            signals["semantic"] = max(0.0, semantic_by_actor.get(candidate, 0.0))
        new_country = scope == "abroad" and entry.country and covered.get(entry.country, 0) == 0
        score = sum(weights[name] * value for name, value in signals.items()) / total_weight
        suggestion = Suggestion(
            kind=candidate[0],
            uid=str(entry.uid),
            name=entry.shown_title,
            country=entry.country,
            score=score,
            signals=signals,
            shared_topics=shared,
            group=networks.group_of(entry.kind, entry.subkind),
            subkind=entry.subkind,
        )
        suggestion.evidence = [{"activity": activity, "role": role} for _s, activity, role in best]
        suggestion.new_country = bool(new_country)
        suggestion.actor = candidate
        suggestion.own_words = candidate in own_words
        suggestion.worded_activities = worded[candidate]
        suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, s.name))
    finalists = suggestions[: max(FINALISTS, 3 * limit)]
    region = region_organizations()
    finalist_entries = {s.actor: actor_entries[s.actor] for s in finalists}
    with_region = _shared_with_region(finalist_entries, region, user)
    ties = _ties(with_region)
    for suggestion in finalists:
        network = max(ties.get(suggestion.actor, 0.0), 0.5 if suggestion.new_country else 0.0)
        if suggestion.group == "program":  # a program the region takes part in: lean on it
            network = 1.0 if finalist_entries[suggestion.actor].in_region else 0.0
        suggestion.signals["network"] = network
        suggestion.score += weights["network"] * network / total_weight
    finalists.sort(key=lambda s: (-s.score, s.name))
    best = finalists[:limit]
    paths = _paths({s.actor: with_region.get(s.actor, set()) for s in best}, region, user)
    for suggestion in best:
        suggestion.path = paths.get(suggestion.actor, [])
    write_reasons(best, {s.actor: actor_entries[s.actor] for s in best}, theme, region, user)
    describe_evidence(best)
    return Matches(text, best, notes)


def _actor_entries(readable, candidates: set) -> dict[tuple[str, int], SearchEntry]:
    """The readable entries of these actors, by the (type, id) key the index keeps unique."""
    found = {}
    for kind, model in ACTORS.items():
        pks = [pk for k, pk in candidates if k == kind]
        if pks:
            rows = readable.filter(among("object_id", pks), content_type=entry_type(model))
            found.update({(kind, e.object_id): e for e in rows.defer("names", "words")})
    return found


def region_organizations() -> list[int]:
    """The ids of the region's own organizations (a handful, from a partial index).

    Queries name them rather than join on ``in_region``: the planner then knows each
    has tens of thousands of participations, and reads the candidates' few instead
    (18 ms instead of 147 for twenty people's ties on the medium set)."""
    return list(Organization.objects.filter(in_region=True).values_list("pk", flat=True))


def _shared_with_region(
    actors: dict[tuple[str, int], SearchEntry], region: list[int], user: AnyUser
) -> dict[tuple[str, int], set[int]]:
    """Per actor, the activities it shares with an organization of the region other than
    itself: every one for most actors, in one query a kind; the first TIES_CAP for a hub
    (more than HUB activities), in a query of its own that stops there. Reading all of a
    hub's tens of thousands of participations cost 50 ms a query on PostgreSQL."""
    shared: dict[tuple[str, int], set[int]] = defaultdict(set)
    for kind in ACTORS:
        mine = [(pk, entry.activities > HUB) for (k, pk), entry in actors.items() if k == kind]
        few = [pk for pk, hub in mine if not hub]
        for pk, activity in _tied(kind, few, region, user).values_list(kind, "activity"):
            shared[(kind, pk)].add(activity)
        for pk in [pk for pk, hub in mine if hub]:
            tied = _tied(kind, [pk], region, user).values_list("activity", flat=True)
            shared[(kind, pk)] = set(tied[:TIES_CAP])
    return shared


def _tied(kind: str, pks: list[int], region: list[int], user: AnyUser):
    """The participations of these actors in activities an organization of the region
    (other than the actor) takes part in."""
    others = Participation.objects.filter(activity=OuterRef("activity"), organization__in=region)
    if kind == "organization":
        others = others.exclude(organization=OuterRef("organization"))
    mine = Participation.objects.filter(among(kind, pks))
    return participations_visible_to(mine, user).filter(Exists(others))


def _ties(shared: dict[tuple[str, int], set[int]]) -> dict[tuple[str, int], float]:
    """The network signal: activities shared with the region, up to TIES_CAP (past that an
    actor is simply well tied), normalized to the best."""
    counts = {actor: min(len(activities), TIES_CAP) for actor, activities in shared.items()}
    top = max(counts.values(), default=0) or 1
    return {actor: n / top for actor, n in counts.items()}


def _paths(shared: dict[tuple[str, int], set[int]], region: list[int], user: AnyUser) -> dict:
    """Per actor, one way the region knows it: a regional partner and the latest of the
    activities they share, read for every actor at once."""
    actors_of: dict[int, set[tuple[str, int]]] = defaultdict(set)
    for actor, activities in shared.items():
        for activity in activities:
            actors_of[activity].add(actor)
    partners = participations_visible_to(
        Participation.objects.filter(among("activity", actors_of), among("organization", region)),
        user,
    ).values_list(
        "activity",
        "organization",
        "activity__start",
        "pk",
        "organization__acronym",
        "organization__name",
        "activity__title_en",
        "activity__title_fr",
    )
    paths = {}
    rows = sorted(  # partial dates ("2015", "2015-03") sort as text; undated ones last
        partners if actors_of else [],
        key=lambda row: (row[2] or "", -row[3]),
        reverse=True,
    )
    french = (get_language() or "en").startswith("fr")
    for activity, organization, _start, _pk, acronym, name, title, title_fr in rows:
        for actor in actors_of[activity] - {("organization", organization)}:
            paths.setdefault(actor, [acronym or name, (french and title_fr) or title])
    return paths


def covered_countries(user: AnyUser) -> Counter:
    """The countries the region already works with (its partners' activities per country),
    kept until the records change: it reads every participation of the region."""
    audience = (
        "all" if reads_every_record(user) else f"user-{user.pk}" if user.is_staff else "public"
    )
    key = f"search:covered:{content_version()}:{audience}"
    covered = cache.get(key)
    if covered is None:
        region = region_organizations()
        regional = Participation.objects.filter(organization__in=region).values("activity")
        covered = Counter(
            participations_visible_to(
                Participation.objects.filter(activity__in=regional, organization__in_region=False),
                user,
            )
            .exclude(organization__place__country="")
            .values_list("organization__place__country", flat=True)
        )
        cache.set(key, covered, timeout=24 * 3600)
    return covered
