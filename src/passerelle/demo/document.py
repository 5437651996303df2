"""The demo network's document: what the seed page states (``network``), with what a
specialist of the field knows of its records written in (``knowledge``)."""

from __future__ import annotations

from typing import Any

from .knowledge import enrich
from .network import seed_document


def demo_document() -> dict[str, Any]:
    """The demo network as an interchange document, ready for ``import_document``."""
    return enrich(seed_document())
