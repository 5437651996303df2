"""Records proposed from prose: a press release in, cited proposals out, nothing written.

``extract(text)`` or ``extract_path(path)`` give an :class:`Extraction`; its
``as_json()`` is the shared shape of ``shared/extraction/README.md``. The review
queue (``ingest.submissions``) turns the proposals staff accept into records.
"""

from __future__ import annotations

from pathlib import Path

from .pipeline import Extraction, extract_document
from .reading import Document, ExtractionError, read_bytes, read_path

__all__ = ["Document", "Extraction", "ExtractionError", "extract", "extract_path"]


def extract(
    text: str, *, language: str | None = None, published: str = "", use_model: bool = True
) -> Extraction:
    """The proposals of a pasted text."""
    from .reading import published_in_text

    document = Document(text=text, published=published or published_in_text(text))
    return extract_document(document, language=language, use_model=use_model)


def extract_path(
    path: str | Path, *, language: str | None = None, use_model: bool = True
) -> Extraction:
    """The proposals of a file (plain text, HTML page or .docx)."""
    return extract_document(read_path(path), language=language, use_model=use_model)


def extract_bytes(
    data: bytes, name: str, *, language: str | None = None, use_model: bool = True
) -> Extraction:
    return extract_document(read_bytes(data, name), language=language, use_model=use_model)
