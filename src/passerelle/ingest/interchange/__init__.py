"""The Passerelle interchange document: every record in one JSON document.

The format is described in ``docs/interchange.md`` and, as data, in
:mod:`.format` (the table of sections every reader and writer follows);
:mod:`.exporting` writes records in that shape and :mod:`.importing` reads
them. Records are identified by their stable UUIDs, so importing a document
twice updates what the first import created instead of duplicating it, and a
document exported from one database and imported into another keeps its ids.
An activity carries its participations, commitments and links inline: the
document states the whole of an activity, and importing it makes the database
say the same.
"""

from .exporting import (
    ACTIVITY_CHUNK,
    document_parts,
    export_document,
    export_records,
    write_document,
)
from .format import BY_KEY, FORMAT, PARTS, SECTIONS, VERSION, DocumentError, TakenError
from .importing import ImportSummary, import_document

__all__ = [
    "ACTIVITY_CHUNK",
    "BY_KEY",
    "FORMAT",
    "PARTS",
    "SECTIONS",
    "VERSION",
    "DocumentError",
    "ImportSummary",
    "TakenError",
    "document_parts",
    "export_document",
    "export_records",
    "import_document",
    "write_document",
]
