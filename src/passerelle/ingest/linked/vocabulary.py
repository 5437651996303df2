"""Passerelle's vocabulary as a graph: the classes and properties of ``vocabulary.ttl``
and, as SKOS concepts, the values of the models' own choices (roles, key areas…).

Both files shipped with the package (``vocabulary.ttl``, ``shapes.ttl``) write the
namespace as the relative ``ns#`` and are read against the site's public address, so
that a deployment's terms are addresses its own site answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from passerelle.activities.commitments import verdict_label

from .iris import site_base
from .terms import SCHEMES, bind, concept, ns, scheme_values

HERE = Path(__file__).resolve().parent
VOCABULARY_FILE = HERE / "vocabulary.ttl"
SHAPES_FILE = HERE / "shapes.ttl"

SCHEME_LABELS = {
    "role": _("Roles"),
    "area": _("Key areas of commitments"),
    "verdict": _("Verdicts on commitments"),
    "status": _("Statuses of agreements"),
    "direction": _("Directions"),
    "exchange": _("Categories of exchanges"),
    "followup": _("Statuses of follow-up actions"),
}


def read_shipped(path: Path) -> Graph:
    """A Turtle file of the package, its relative IRIs read against the site's address."""
    graph = Graph()
    graph.parse(path, format="turtle", publicID=f"{site_base()}/")
    return graph


def _label(scheme: str, value: str) -> str:
    if scheme == "verdict":
        return verdict_label(value)
    return str(SCHEMES[scheme](value).label)


@cache
def _vocabulary(base: str) -> Graph:
    graph = read_shipped(VOCABULARY_FILE)
    bind(graph)
    pl = ns()
    for scheme in SCHEMES:
        scheme_node = URIRef(f"{pl}{scheme}")
        graph.add((scheme_node, RDF.type, SKOS.ConceptScheme))
        for language in ("en", "fr"):
            with translation.override(language):
                graph.add(
                    (scheme_node, SKOS.prefLabel, Literal(str(SCHEME_LABELS[scheme]), language))
                )
        for value in scheme_values(scheme):
            node = concept(scheme, value)
            graph.add((node, RDF.type, SKOS.Concept))
            graph.add((node, SKOS.inScheme, scheme_node))
            graph.add((node, SKOS.notation, Literal(value)))
            for language in ("en", "fr"):
                with translation.override(language):
                    graph.add((node, SKOS.prefLabel, Literal(_label(scheme, value), language)))
    return graph


def vocabulary() -> Graph:
    """The whole vocabulary of this site (read once per public address)."""
    return _vocabulary(site_base())


def shapes() -> Graph:
    """The SHACL shapes the dataset keeps."""
    return read_shipped(SHAPES_FILE)


@dataclass
class Term:
    """One term as the vocabulary page shows it."""

    name: str
    iri: str
    kind: str
    label: str
    comment: str
    #: what a class or property refines or joins; a scheme's (anchor, label) values
    extra: list


def _text(graph: Graph, node, prop, language: str) -> str:
    texts = {o.language: str(o) for o in graph.objects(node, prop) if isinstance(o, Literal)}
    return texts.get(language) or texts.get("en") or next(iter(texts.values()), "")


def terms(language: str) -> dict[str, list[Term]]:
    """The classes, properties and concept schemes, in the reader's language."""
    graph = vocabulary()
    pl = str(ns())
    found: dict[str, list[Term]] = {"classes": [], "properties": [], "schemes": []}
    for kind, group, rdf_type in (
        ("class", "classes", RDFS.Class),
        ("property", "properties", RDF.Property),
    ):
        for node in sorted(graph.subjects(RDF.type, rdf_type)):
            if not str(node).startswith(pl):
                continue
            extra = [
                graph.namespace_manager.normalizeUri(o)
                for p in (RDFS.subClassOf, RDFS.domain, RDFS.range)
                for o in graph.objects(node, p)
            ]
            found[group].append(
                Term(
                    str(node)[len(pl) :],
                    str(node),
                    kind,
                    _text(graph, node, RDFS.label, language),
                    _text(graph, node, RDFS.comment, language),
                    extra,
                )
            )
    for scheme in SCHEMES:
        node = URIRef(f"{pl}{scheme}")
        values = [
            (f"{scheme}_{value}", _text(graph, concept(scheme, value), SKOS.prefLabel, language))
            for value in scheme_values(scheme)
        ]
        found["schemes"].append(
            Term(
                scheme,
                str(node),
                "scheme",
                _text(graph, node, SKOS.prefLabel, language),
                "",
                values,
            )
        )
    return found
