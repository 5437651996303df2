"""Matchmaking judged on the demo network: who should we work with on a theme?

Run: ``PYTHONPATH=$PWD/src .venv/bin/python -m bench.matchmaking`` (a throw-away SQLite
database, or DATABASE_URL=postgres://...). It loads the demo network, then asks the
matchmaker each theme of ``bench/matchmaking_themes.json`` (33 themes written by hand:
17 English paraphrases, 16 in French) as an anonymous reader, and prints, lexical signals
only and with embeddings: nDCG@10 over the ten suggestions, and the share of themes with a
right answer (graded 2 or 3) among the first five; for all themes, the paraphrases and the
French ones.

The set names records by the demo's natural keys, not by ids or titles, so that the same
file judges an older code and demo: run it with ``PYTHONPATH`` pointing at another
checkout's ``src`` to measure that one. A network (ELI, WSN) counts however the demo
records it (an organization of kind network, or the activity older demos had).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from pathlib import Path

from .common import machine, setup_database

THEMES = Path(__file__).with_name("matchmaking_themes.json")


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    gains = [(2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k])]
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def right_in_top(ranked: list[str], grades: dict[str, int], k: int = 5) -> bool:
    return any(grades.get(key, 0) >= 2 for key in ranked[:k])


def keys_by_uid() -> dict[str, str]:
    """Every judged natural key, by the stable id the demo gives its record."""
    from passerelle.demo.network import uid

    judged = {key for theme in load_themes() for key in theme["grades"]}
    found: dict[str, str] = {}
    for key in judged:
        kind, name = key.split("/", 1)
        if kind == "network":  # an organization now, an activity in older demos
            candidates = [uid("organization", name), uid("activity", name)]
        elif kind == "program":
            candidates = [uid("activity", name)]
        else:
            candidates = [uid(kind, name)]
        for candidate in candidates:
            found[candidate] = key
    return found


def check_records(by_uid: dict[str, str]) -> None:
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization, Person

    present = set()
    for model in (Activity, Organization, Person):
        present |= {str(u) for u in model.objects.values_list("uid", flat=True)}
    missing = sorted(
        {key for u, key in by_uid.items()} - {by_uid[u] for u in present & set(by_uid)}
    )
    if missing:
        raise SystemExit(f"judged records not in the demo: {missing}")


def load_themes() -> list[dict]:
    return json.loads(THEMES.read_text(encoding="utf-8"))["themes"]


def judge(label: str, by_uid: dict[str, str]) -> dict[str, tuple[float, float]]:
    """nDCG@10 and the share with a right answer in the top 5, per kind of theme."""
    from django.contrib.auth.models import AnonymousUser
    from django.utils import translation

    from passerelle.search.matching import match

    anonymous = AnonymousUser()
    per_kind: dict[str, list[tuple[float, bool]]] = {"all": []}
    times = []
    for theme in load_themes():
        start = time.perf_counter()
        with translation.override("fr" if theme["kind"] == "french" else "en"):
            found = match(theme["theme"], user=anonymous, limit=10)
        times.append((time.perf_counter() - start) * 1000)
        ranked = [by_uid.get(s.uid, f"other/{s.name}") for s in found.suggestions]
        score = (ndcg(ranked, theme["grades"]), right_in_top(ranked, theme["grades"]))
        per_kind["all"].append(score)
        per_kind.setdefault(theme["kind"], []).append(score)
    result = {}
    for kind, scores in per_kind.items():
        result[kind] = (
            statistics.mean(s for s, _hit in scores),
            sum(hit for _s, hit in scores) / len(scores),
        )
        print(
            f"{f'{label}, {kind} ({len(scores)} themes)':<52} "
            f"nDCG@10 {result[kind][0]:.3f}   right in top 5 {result[kind][1]:5.0%}"
        )
    print(f"{f'{label}, per theme (ms, median)':<52} {statistics.median(times):8.1f}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print each theme's suggestions")
    args = parser.parse_args()
    engine = setup_database("passerelle_bench_matchmaking")
    print(f"# {engine}; {machine()}")
    from passerelle.demo.loading import load_demo_network
    from passerelle.search import semantic

    load_demo_network(migrate=False)
    by_uid = keys_by_uid()
    check_records(by_uid)
    available = semantic.available
    semantic.available = lambda: False  # the matcher reads it at each call
    judge("lexical only", by_uid)
    semantic.available = available
    if not semantic.available():
        print("embeddings: the semantic extra is not installed")
        return
    semantic.compute()
    judge("with embeddings", by_uid)
    if args.show:
        from django.contrib.auth.models import AnonymousUser

        from passerelle.search.matching import match

        for theme in load_themes():
            found = match(theme["theme"], user=AnonymousUser(), limit=5)
            shown = [by_uid.get(s.uid, s.name) for s in found.suggestions]
            print(f"  {theme['theme']}: {shown}")


if __name__ == "__main__":
    main()
