"""The dataset written as Turtle or JSON-LD, a chunk of records at a time.

A large network is not held in one graph: each chunk the builder yields is written and
dropped. Turtle allows a prefix to be declared anywhere, so a chunk's new prefixes are
written before it and the known ones dropped; JSON-LD is one document whose ``@graph``
takes each chunk's nodes in turn, under the one inlined context (no remote context to
fetch, so that an offline reader reads every triple).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import IO

from rdflib import Graph

from .dataset import Builder
from .terms import SCHEMA, context

FORMATS = {"turtle": "text/turtle", "jsonld": "application/ld+json"}
SUFFIXES = {"turtle": "ttl", "jsonld": "jsonld"}


class Counts:
    """What a written file holds: its triples and its links to other registries."""

    def __init__(self) -> None:
        self.triples = 0
        self.same_as = 0

    def add(self, graph: Graph) -> None:
        self.triples += len(graph)
        self.same_as += sum(1 for _triple in graph.triples((None, SCHEMA.sameAs, None)))


def turtle_chunks(graphs: Iterable[Graph], counts: Counts | None = None) -> Iterator[str]:
    """Turtle, a chunk of records at a time (a prefix is declared where first needed)."""
    declared: set[str] = set()
    for graph in graphs:
        if counts is not None:
            counts.add(graph)
        text = graph.serialize(format="turtle")
        head, body = [], []
        for line in text.splitlines(keepends=True):
            if line.startswith("@prefix"):
                if line not in declared:
                    declared.add(line)
                    head.append(line)
            else:
                body.append(line)
        yield "".join(head) + "".join(body)


def jsonld_chunks(graphs: Iterable[Graph], counts: Counts | None = None) -> Iterator[str]:
    """One JSON-LD document under the inlined context, its ``@graph`` a chunk at a time."""
    shared = context()
    yield '{"@context": ' + json.dumps(shared, ensure_ascii=False) + ', "@graph": ['
    first = True
    for graph in graphs:
        if counts is not None:
            counts.add(graph)
        if not len(graph):
            continue
        document = json.loads(graph.serialize(format="json-ld", context=shared, auto_compact=True))
        parts = []
        for node in document.get("@graph", [document]):
            node.pop("@context", None)
            parts.append(("\n" if first else ",\n") + json.dumps(node, ensure_ascii=False))
            first = False
        yield "".join(parts)
    yield "\n]}\n"


CHUNKS = {"turtle": turtle_chunks, "jsonld": jsonld_chunks}
WRITERS = CHUNKS


def dataset_chunks(
    format: str, builder: Builder | None = None, counts: Counts | None = None
) -> Iterator[str]:
    """Every public record in ``format`` (turtle or jsonld), as text to stream."""
    if format not in CHUNKS:
        raise ValueError(f"“{format}” is not a linked-data format; known: {', '.join(CHUNKS)}")
    return CHUNKS[format]((builder or Builder()).graphs(), counts)


def write_dataset(out: IO[str], format: str, builder: Builder | None = None) -> Counts:
    """Every public record in ``format`` (turtle or jsonld) to ``out``."""
    counts = Counts()
    for text in dataset_chunks(format, builder, counts):
        out.write(text)
    return counts
