"""Search and matchmaking: speed on the medium data set, quality on the judged queries.

Run: ``.venv/bin/python -m bench.search [--scale medium|small|none] [--repeat N]`` (SQLite),
or with ``DATABASE_URL=postgres://...``. It loads the 51k ROR organizations, the
demo network and the generated activities, then measures:

- a full reindex without embeddings, and the embedding of every entry (texts a second);
- lexical, semantic and hybrid search, and matchmaking, per query: median and p95 over
  the judged queries (bench/judged.py) repeated, against a baseline of an empty query;
- nDCG@10 and MRR of lexical, semantic and hybrid ranking on the judged queries, over the
  demo network alone and over the whole data set (where the generated records compete).
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

from .common import HEADER, machine, row, setup_database, timed
from .imports import DUMP, passerelle
from .judged import MATCH_QUERIES, SEARCH_QUERIES


def ndcg(ranked: list, grades: dict, k: int = 10) -> float:
    gains = [(2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:k])]
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def reciprocal_rank(ranked: list, grades: dict) -> float:
    for i, key in enumerate(ranked):
        if grades.get(key, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def check_judgements() -> None:
    from passerelle.search.models import SearchEntry

    known = set(SearchEntry.objects.values_list("kind", "title"))
    missing = {key for _q, grades in SEARCH_QUERIES for key in grades if key not in known} | {
        key for _q, _f, grades in MATCH_QUERIES for key in grades if key not in known
    }
    if missing:
        raise SystemExit(f"judged records not in the index: {sorted(missing)}")


def quality(label: str) -> dict[str, tuple[float, float]]:
    from django.contrib.auth.models import AnonymousUser

    from passerelle.search.engine import search
    from passerelle.search.matching import match

    anonymous = AnonymousUser()
    scores = {}
    for mode in ("lexical", "semantic", "hybrid"):
        n, r = [], []
        for query, grades in SEARCH_QUERIES:
            found = search(query, anonymous, mode=mode, per_page=10)
            ranked = [(h.entry.kind, h.entry.title) for h in found.hits]
            n.append(ndcg(ranked, grades))
            r.append(reciprocal_rank(ranked, grades))
        scores[mode] = (statistics.mean(n), statistics.mean(r))
        print(
            f"{f'{label}: search, {mode}':<58} "
            f"nDCG@10 {scores[mode][0]:.3f}   MRR {scores[mode][1]:.3f}"
        )
    n, r = [], []
    for query, filters, grades in MATCH_QUERIES:
        found = match(query, user=anonymous, **filters)
        ranked = [(s.kind, s.name) for s in found.suggestions]
        n.append(ndcg(ranked, grades))
        r.append(reciprocal_rank(ranked, grades))
    print(
        f"{f'{label}: matchmaking':<58} "
        f"nDCG@10 {statistics.mean(n):.3f}   MRR {statistics.mean(r):.3f}"
    )
    return scores


def speed(repeat: int) -> None:
    from django.contrib.auth.models import AnonymousUser

    from passerelle.search.engine import search
    from passerelle.search.matching import match

    anonymous = AnonymousUser()
    queries = [q for q, _g in SEARCH_QUERIES]
    from passerelle.search.models import SearchEntry

    last = SearchEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    baseline = timed(lambda: SearchEntry.objects.filter(pk=last).first(), repeat * 20)
    print(HEADER)
    print(row("baseline: read one search entry by its key", baseline))
    for mode in ("lexical", "semantic", "hybrid"):
        times: list[float] = []
        for _ in range(repeat):
            for query in queries:
                times += timed(lambda q=query, m=mode: search(q, anonymous, mode=m))
        print(row(f"search, {mode}, per query ({len(queries)} × {repeat})", times, baseline))
    times = []
    for _ in range(repeat):
        for query, filters, _g in MATCH_QUERIES:
            times += timed(lambda q=query, f=filters: match(q, user=anonymous, **f))
    print(row(f"matchmaking, per query ({len(MATCH_QUERIES)} × {repeat})", times, baseline))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium", help="medium, small, or none (demo only)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--reuse",
        nargs="?",
        const="",
        metavar="DATA_DIR",
        help="measure on the database a previous run left (no loading): the SQLite one in "
        "DATA_DIR, or, with DATABASE_URL=postgres://.../passerelle_bench_search, that one",
    )
    args = parser.parse_args()
    if args.reuse is not None:
        import os

        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
            os.environ["PASSERELLE_DATA_DIR"] = args.reuse
        django.setup()
        from django.conf import settings

        database = settings.DATABASES["default"]
        print(f"# {database['ENGINE'].rsplit('.', 1)[1]}, reusing {database['NAME']}; {machine()}")
        quality("whole data set")
        speed(args.repeat)
        return
    engine = setup_database("passerelle_bench_search")
    print(f"# {engine}; {machine()}")

    from passerelle.search import indexing, semantic
    from passerelle.search.models import SearchEntry

    passerelle("load-demo")
    check_judgements()
    start = time.perf_counter()
    semantic.compute()
    print(f"{'embeddings of the demo network (seconds)':<58} {time.perf_counter() - start:10.1f}")
    demo_scores = quality("demo network")

    if args.scale != "none":
        seconds, _ = passerelle("import-ror", str(DUMP), "--no-progress")
        print(f"{'import-ror (seconds)':<58} {seconds:10.1f}")
        seconds, _ = passerelle("generate", "--scale", args.scale, "--no-progress")
        print(f"{f'generate --scale {args.scale} (seconds)':<58} {seconds:10.1f}")
        start = time.perf_counter()
        count = indexing.reindex()
        elapsed = time.perf_counter() - start
        print(f"{f'full reindex, no embeddings: {count} records (seconds)':<58} {elapsed:10.1f}")
        entries = SearchEntry.objects.count()
        start = time.perf_counter()
        embedded = semantic.compute()
        elapsed = time.perf_counter() - start
        print(
            f"{f'embeddings: {embedded} texts (seconds; texts a second)':<58} "
            f"{elapsed:10.1f} {embedded / elapsed:10.0f}"
        )
        print(f"{'search entries':<58} {entries:10d}")
        quality(f"{args.scale} data set")
    speed(args.repeat)
    hybrid, lexical = demo_scores["hybrid"][0], demo_scores["lexical"][0]
    print(
        f"\nhybrid beats lexical on the demo network: {hybrid > lexical} "
        f"({hybrid:.3f} vs {lexical:.3f})"
    )


if __name__ == "__main__":
    main()
