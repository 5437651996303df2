"""Score extractions against hand annotations, by the rules of shared/extraction/README.md.

    python bench/extraction_score.py                 # the development set, then the seed
    python bench/extraction_score.py --gold-only     # the gold against itself (1.0 everywhere)
    python bench/extraction_score.py --speed         # texts per second on the rule path

The development set is ``bench/extraction/*.json`` (each with its text, its language,
its source address and its gold in the shared shape); the seed page is scored against
the demo network's records (the demo loaded in a throw-away database). ``score()``
is importable: it takes gold and predicted dicts in the shared shape, nothing else.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SET = HERE / "extraction"
GROUPS = {
    "agreement": "agreement",
    "event": "event",
    "delegation": "mobility",
    "exchange": "mobility",
    "project": "project",
    "program": "project",
    "funding": "project",
    "network_membership": "network_membership",
    "other": "other",
}
TYPES = ("organizations", "people", "places", "places_country", "activities", "activities_group")


def norm(text: str | None) -> str:
    """NFKD without accents, case folded, apostrophes and dashes unified, spaces collapsed."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[’‘`´ʼ]", "'", text)
    text = re.sub(r"[‐‑‒–—―−]", "-", text)
    return " ".join(text.split())


def person_key(name: str) -> tuple[str, ...]:
    return tuple(sorted(norm(name).replace(".", ". ").split()))


class Counts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = 0

    def add(self, tp: int, predicted: int, gold: int) -> None:
        self.tp += tp
        self.fp += predicted - tp
        self.fn += gold - tp

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def _match_organizations(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    """gold index → predicted index: any form equal to any form, one-to-one, in gold order."""
    forms = [{norm(f) for f in [p.get("name"), *(p.get("aliases") or [])] if f} for p in pred]
    used: set[int] = set()
    pairs = {}
    for g, org in enumerate(gold):
        gold_forms = {norm(f) for f in [org.get("name"), *(org.get("aliases") or [])] if f}
        for i, predicted in enumerate(forms):
            if i not in used and predicted & gold_forms:
                pairs[g] = i
                used.add(i)
                break
    return pairs


def _match_people(gold: list[dict], pred: list[dict]) -> dict[int, int]:
    keys = [person_key(p.get("name") or "") for p in pred]
    used: set[int] = set()
    pairs = {}
    for g, person in enumerate(gold):
        key = person_key(person.get("name") or "")
        for i, predicted in enumerate(keys):
            if i not in used and predicted == key:
                pairs[g] = i
                used.add(i)
                break
    return pairs


def _place_keys(places: list[dict], country_only: bool) -> list[tuple]:
    keys = []
    for place in places:
        key = (
            "" if country_only else norm(place.get("city")),
            (place.get("country") or "").upper(),
        )
        if key not in keys:
            keys.append(key)
    return keys


def score_text(gold: dict, pred: dict) -> dict:
    """Counts per type for one text, and the attribute agreements over matched pairs."""
    result: dict[str, object] = {}
    g_orgs, p_orgs = gold.get("organizations", []), pred.get("organizations", [])
    org_pairs = _match_organizations(g_orgs, p_orgs)
    result["organizations"] = (len(org_pairs), len(p_orgs), len(g_orgs))
    attributes = {}
    for name in ("kind", "city", "country"):
        agree = sum(
            1
            for g, p in org_pairs.items()
            if norm(str(g_orgs[g].get(name) or "")) == norm(str(p_orgs[p].get(name) or ""))
        )
        attributes[name] = (agree, len(org_pairs))
    result["org_attributes"] = attributes
    g_people, p_people = gold.get("people", []), pred.get("people", [])
    people_pairs = _match_people(g_people, p_people)
    result["people"] = (len(people_pairs), len(p_people), len(g_people))
    for variant, country_only in (("places", False), ("places_country", True)):
        g_keys = _place_keys(gold.get("places", []), country_only)
        p_keys = _place_keys(pred.get("places", []), country_only)
        result[variant] = (len(set(g_keys) & set(p_keys)), len(p_keys), len(g_keys))
    # activities: each predicted participant resolved to a gold actor through the matches
    actor_of: dict[str, str] = {}
    for g, p in org_pairs.items():
        for form in [p_orgs[p].get("name"), *(p_orgs[p].get("aliases") or [])]:
            actor_of[norm(form)] = f"org:{g}"
    for g, p in people_pairs.items():
        actor_of[norm(p_people[p].get("name"))] = f"person:{g}"
    gold_actor: dict[str, str] = {}
    for g, org in enumerate(g_orgs):
        for form in [org.get("name"), *(org.get("aliases") or [])]:
            gold_actor.setdefault(norm(form), f"org:{g}")
    for g, person in enumerate(g_people):
        gold_actor.setdefault(norm(person.get("name")), f"person:{g}")
        gold_actor.setdefault(" ".join(person_key(person.get("name") or "")), f"person:{g}")
    g_acts, p_acts = gold.get("activities", []), pred.get("activities", [])
    g_sets = [
        {gold_actor.get(norm(n), f"?{norm(n)}") for n in a.get("participants", [])} for a in g_acts
    ]
    p_sets = [
        {actor_of[norm(n)] for n in a.get("participants", []) if norm(n) in actor_of}
        for a in p_acts
    ]
    unresolved = sum(1 for s in p_sets if not s)
    for variant, same in (
        ("activities", lambda a, b: a == b),
        ("activities_group", lambda a, b: GROUPS.get(a, "other") == GROUPS.get(b, "other")),
    ):
        used: set[int] = set()
        tp = 0
        dates = [0, 0]
        for i, activity in enumerate(p_acts):
            best, overlap = None, 0
            for g, gold_activity in enumerate(g_acts):
                if g in used or not same(activity.get("kind"), gold_activity.get("kind")):
                    continue
                shared = len(p_sets[i] & g_sets[g])
                if shared > overlap:
                    best, overlap = g, shared
            if best is not None:
                used.add(best)
                tp += 1
                gold_date = g_acts[best].get("date")
                if gold_date:
                    dates[1] += 1
                    predicted = activity.get("date") or ""
                    dates[0] += bool(predicted) and gold_date.startswith(predicted)
        result[variant] = (tp, len(p_acts), len(g_acts))
        result[f"{variant}_dates"] = tuple(dates)
    result["unresolved_activities"] = unresolved
    return result


def score(pairs: list[tuple[str, dict, dict]]) -> dict:
    """Micro-averaged P, R, F1 per type, over all texts and per language.
    ``pairs``: (language, gold, predicted)."""
    totals: dict[str, dict[str, Counts]] = defaultdict(lambda: defaultdict(Counts))
    attributes: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    unresolved = 0
    for language, gold, pred in pairs:
        result = score_text(gold, pred)
        for scope in ("all", language):
            for kind in TYPES:
                totals[scope][kind].add(*result[kind])
        for name, (agree, n) in result["org_attributes"].items():
            attributes[name][0] += agree
            attributes[name][1] += n
        for name in ("activities_dates",):
            attributes["activity date"][0] += result[name][0]
            attributes["activity date"][1] += result[name][1]
        unresolved += result["unresolved_activities"]
    table = {
        scope: {
            kind: dict(zip(("p", "r", "f1"), counts.prf(), strict=True))
            | {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn}
            for kind, counts in kinds.items()
        }
        for scope, kinds in totals.items()
    }
    return {
        "scores": table,
        "attributes": {k: (a / n if n else None, n) for k, (a, n) in attributes.items()},
        "unresolved_activities": unresolved,
        "texts": len(pairs),
    }


def print_table(title: str, result: dict) -> None:
    print(f"\n{title} ({result['texts']} texts)")
    print(f"{'scope':6} {'type':18} {'P':>6} {'R':>6} {'F1':>6}   tp   fp   fn")
    for scope in ("all", "fr", "en"):
        for kind in TYPES:
            row = result["scores"].get(scope, {}).get(kind)
            if row:
                print(
                    f"{scope:6} {kind:18} {row['p']:6.3f} {row['r']:6.3f} {row['f1']:6.3f} "
                    f"{row['tp']:4d} {row['fp']:4d} {row['fn']:4d}"
                )
    for name, (value, n) in result["attributes"].items():
        if value is not None:
            print(f"  {name} accuracy over matched pairs: {value:.3f} (n={n})")
    print(
        f"  predicted activities with no resolvable participant: {result['unresolved_activities']}"
    )


def development_set() -> list[dict]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(SET.glob("*.json"))]


def _setup() -> None:
    sys.path.insert(0, str(HERE.parent))
    from bench.common import setup_database

    setup_database("passerelle_bench_extraction")
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)


def _predict(entry: dict, use_model: bool = True) -> dict:
    from passerelle.ingest.extraction import extract

    return extract(
        entry["text"],
        language=entry["language"],
        published=entry.get("published") or "",
        use_model=use_model,
    ).as_json()


def seed_gold() -> dict:
    """The demo network's records in the shared shape: the seed page's gold."""
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization, Person, Place

    kinds = {
        "research_institute": "institute",
        "cancer_centre": "hospital",
        "international": "agency",
    }
    organizations = []
    for org in Organization.objects.prefetch_related("names").select_related("place"):
        forms = {org.name, org.name_en, org.name_fr, org.acronym, org.acronym_fr}
        forms |= {n.value for n in org.names.all()}
        forms.discard("")
        forms.discard(None)
        organizations.append(
            {
                "name": org.name,
                "aliases": sorted(forms - {org.name}),
                "city": None,
                "country": None,
                "kind": kinds.get(org.kind, org.kind),
                "_id": str(org.uid),
            }
        )
    people = [
        {
            "name": f"{p.given_name} {p.family_name}".strip(),
            "title": None,
            "affiliations": [],
            "role": None,
        }
        for p in Person.objects.all()
    ]
    places = [{"city": p.name_en or None, "country": p.country.code} for p in Place.objects.all()]
    activities = []
    for activity in Activity.objects.prefetch_related(
        "participations__organization", "participations__person"
    ):
        participants = []
        for participation in activity.participations.all():
            if participation.organization_id:
                participants.append(participation.organization.name)
            else:
                person = participation.person
                participants.append(f"{person.given_name} {person.family_name}".strip())
        if participants:  # the README: an activity counts when a participant is named
            kind = "network_membership" if activity.kind == "membership" else activity.kind
            activities.append(
                {
                    "kind": kind,
                    "label": activity.title_en,
                    "date": activity.start or None,
                    "participants": participants,
                    "location": None,
                    "details": "",
                }
            )
    return {
        "organizations": organizations,
        "people": people,
        "places": places,
        "activities": activities,
    }


def speed(entries: list[dict], rounds: int = 5) -> None:
    import statistics

    from bench.common import machine
    from passerelle.ingest.extraction import extract
    from passerelle.ingest.extraction.gazetteer import gazetteer
    from passerelle.ingest.extraction.nlp import LOAD_SECONDS, french

    gazetteer()
    started = time.process_time()
    french()
    model_cpu = time.process_time() - started
    print(f"\nmachine: {machine()}")
    print(f"French model load: {LOAD_SECONDS.get('fr', 0):.2f} s wall, {model_cpu:.2f} s CPU")
    for use_model, label in (
        (False, "rule path (gazetteer + rules)"),
        (True, "with the French parse"),
    ):
        times = []
        for _ in range(rounds):
            for entry in entries:
                if use_model and entry["language"] != "fr":
                    continue
                t = time.process_time()
                extract(entry["text"], language=entry["language"], use_model=use_model).as_json()
                times.append(time.process_time() - t)
        times.sort()
        median = statistics.median(times)
        p95 = times[int(0.95 * (len(times) - 1))]
        print(
            f"{label}: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms CPU per text, "
            f"{1 / median:.1f} texts/s per core (n={len(times)})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold-only", action="store_true")
    parser.add_argument("--speed", action="store_true")
    parser.add_argument("--no-model", action="store_true", help="Rules only, also for French.")
    parser.add_argument("--show", action="store_true", help="Print each text's errors.")
    args = parser.parse_args()
    entries = development_set()
    _setup()
    if args.speed:
        speed(entries)
        return
    pairs = []
    for entry in entries:
        predicted = entry["gold"] if args.gold_only else _predict(entry, not args.no_model)
        pairs.append((entry["language"], entry["gold"], predicted))
        if args.show:
            _show(entry, predicted)
    print_table("Development set", score(pairs))
    seed_text = Path("/work/shared/seed/international-relations.txt")
    for candidate in (HERE.parent.parent / "shared/seed/international-relations.txt", seed_text):
        if candidate.exists():
            seed_text = candidate
            break
    from passerelle.demo import network

    demo_copy = Path(network.__file__).with_name("international-relations.txt")
    text = (seed_text if seed_text.exists() else demo_copy).read_text(encoding="utf-8")
    gold = seed_gold()
    predicted = gold if args.gold_only else _predict({"text": text, "language": "en"})
    print_table("Seed page against the demo records", score([("en", gold, predicted)]))


def _show(entry: dict, predicted: dict) -> None:
    gold = entry["gold"]
    print(f"\n== {entry['id']} ({entry['language']})")
    g = {norm(o["name"]) for o in gold["organizations"]}
    for o in gold["organizations"]:
        forms = {norm(f) for f in [o["name"], *o.get("aliases", [])]}
        if not any(
            forms & {norm(f) for f in [p["name"], *p.get("aliases", [])]}
            for p in predicted["organizations"]
        ):
            print("  missed org:", o["name"])
    for p in predicted["organizations"]:
        forms = {norm(f) for f in [p["name"], *p.get("aliases", [])]}
        if not any(
            forms & {norm(f) for f in [o["name"], *o.get("aliases", [])]}
            for o in gold["organizations"]
        ):
            print("  extra org:", p["name"])
    del g
    gp = {person_key(p["name"]) for p in gold["people"]}
    pp = {person_key(p["name"]) for p in predicted["people"]}
    for k in gp - pp:
        print("  missed person:", " ".join(k))
    for k in pp - gp:
        print("  extra person:", " ".join(k))
    print("  gold activities:", [(a["kind"], a["participants"][:3]) for a in gold["activities"]])
    print("  predicted:", [(a["kind"], a["participants"][:3]) for a in predicted["activities"]])


if __name__ == "__main__":
    main()
