"""The dataset written as Turtle or JSON-LD, a chunk of records at a time.

A large network is not held in one graph: each chunk the builder yields is written and
dropped. Turtle allows a prefix to be declared anywhere, so a chunk's new prefixes are
written before it and the known ones dropped; JSON-LD is one document whose ``@graph``
takes each chunk's nodes in turn, under the one inlined context (no remote context to
fetch, so that an offline reader reads every triple).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
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


def write_turtle(out: IO[str], graphs: Iterable[Graph]) -> Counts:
    counts = Counts()
    declared: set[str] = set()
    for graph in graphs:
        counts.add(graph)
        text = graph.serialize(format="turtle")
        body = []
        for line in text.splitlines(keepends=True):
            if line.startswith("@prefix"):
                if line not in declared:
                    declared.add(line)
                    out.write(line)
            else:
                body.append(line)
        out.write("".join(body))
    return counts


def write_jsonld(out: IO[str], graphs: Iterable[Graph]) -> Counts:
    counts = Counts()
    shared = context()
    out.write('{"@context": ')
    out.write(json.dumps(shared, ensure_ascii=False))
    out.write(', "@graph": [')
    first = True
    for graph in graphs:
        counts.add(graph)
        if not len(graph):
            continue
        document = json.loads(graph.serialize(format="json-ld", context=shared, auto_compact=True))
        nodes = document.get("@graph", [document])
        for node in nodes:
            node.pop("@context", None)
            out.write("\n" if first else ",\n")
            out.write(json.dumps(node, ensure_ascii=False))
            first = False
    out.write("\n]}\n")
    return counts


WRITERS = {"turtle": write_turtle, "jsonld": write_jsonld}


def write_dataset(out: IO[str], format: str, builder: Builder | None = None) -> Counts:
    """Every public record in ``format`` (turtle or jsonld) to ``out``."""
    if format not in WRITERS:
        raise ValueError(f"“{format}” is not a linked-data format; known: {', '.join(WRITERS)}")
    return WRITERS[format](out, (builder or Builder()).graphs())
