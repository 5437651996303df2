"""The dataset checked against the shapes shipped with it (SHACL, pySHACL, no inference).

No inference: a node is checked for the classes the dataset writes on it, not for what a
reasoner could derive, so that what passes here passes in any SHACL processor.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph

from .vocabulary import shapes


@dataclass
class Verdict:
    conforms: bool
    report: str
    results: Graph


def validate(data: Graph) -> Verdict:
    """Whether ``data`` keeps the shapes, with pySHACL's report in words."""
    conforms, results, text = shacl_validate(
        data,
        shacl_graph=shapes(),
        inference="none",
        advanced=True,
        allow_warnings=False,
    )
    return Verdict(bool(conforms), text, results)
