"""The dataset's files, written once per version of the records and served from disk.

Writing the whole dataset takes minutes on a large network, too long to do again for each
download: the first request of a version streams the file as it is written and keeps it
(under a temporary name, renamed once complete, so that no reader gets half a file); the
next requests of the same version read it from disk. A file of an older version is
removed when a newer one is complete. The folder is ``PASSERELLE_OPEN_DATA_DIR``
(``<data dir>/open-data`` by default).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse

from passerelle.core.changes import content_version


def folder() -> Path:
    return Path(getattr(settings, "PASSERELLE_OPEN_DATA_DIR", settings.DATA_DIR / "open-data"))


def _kept(chunks: Iterator[str], final: Path) -> Iterator[bytes]:
    """Yield the text as bytes while writing it to ``final`` (renamed when complete)."""
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.with_name(f".{final.name}.{uuid.uuid4().hex}")
    with partial.open("wb") as out:
        for text in chunks:
            data = text.encode("utf-8")
            out.write(data)
            yield data
    os.replace(partial, final)
    suffix = "".join(final.suffixes[-1:])
    stem = final.name.split("-", 1)[1]
    for old in final.parent.glob(f"*-{stem}"):
        if old != final and old.suffix == suffix:
            old.unlink(missing_ok=True)


def published(name: str, chunks: Callable[[], Iterator[str]], content_type: str):
    """The file ``name`` of the current version: from disk, or written while it streams."""
    final = folder() / f"{content_version()}-{name}"
    if final.exists():
        response = FileResponse(final.open("rb"), content_type=content_type)
    else:
        response = StreamingHttpResponse(_kept(chunks(), final), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
