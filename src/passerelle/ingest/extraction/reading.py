"""A text to extract from, out of a file or a paste: plain text, an HTML page, a .docx.

Press releases arrive as web pages, Word files or plain text. The size is checked
before anything is parsed (a 2 MB press release is already very long), text must be
UTF-8 (or carry a UTF-16 byte-order mark): guessing an 8-bit encoding would turn an
undecodable file into mojibake proposals instead of a clear refusal.

The main text of an HTML page is taken with the standard library's parser, after
the readability idea: the ``<article>`` or ``<main>`` element when the page has
one, else the body without its navigation, headers, footers, forms and link-heavy
blocks. trafilatura does this better on odd pages, but brings lxml, htmldate,
courlan and justext for what our pages (press releases, news items) need little of.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from django.utils.translation import gettext as _

#: The largest file or paste read (checked before parsing).
MAX_BYTES = 2_000_000
#: The largest text extracted from a file (a .docx unzips to more than it weighs).
MAX_CHARS = 500_000


class ExtractionError(ValueError):
    """Input that cannot be read: said in words, never as a traceback."""


@dataclass
class Document:
    text: str
    title: str = ""
    published: str = ""  # YYYY, YYYY-MM or YYYY-MM-DD when the document says it
    url: str = ""
    media: str = "text"  # text, html or docx
    name: str = ""


def read_path(path: str | Path) -> Document:
    """A file as a document, refused with a reason if missing, too large or unreadable."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise ExtractionError(_("%(path)s: no such file") % {"path": path}) from None
    except OSError as error:
        raise ExtractionError(
            _("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    if path.is_dir():
        raise ExtractionError(_("%(path)s is a folder, not a file") % {"path": path})
    check_size(size, path.name)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractionError(
            _("cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror}
        ) from None
    return read_bytes(data, path.name)


def check_size(size: int, name: str) -> None:
    if size > MAX_BYTES:
        raise ExtractionError(
            _("%(name)s is too large (%(size)d bytes; at most %(limit)d)")
            % {"name": name, "size": size, "limit": MAX_BYTES}
        )
    if size == 0:
        raise ExtractionError(_("%(name)s is empty") % {"name": name})


def read_bytes(data: bytes, name: str = "text") -> Document:
    """The document in ``data``, by its name's suffix or its first bytes."""
    check_size(len(data), name)
    suffix = Path(name).suffix.lower()
    if suffix == ".docx" or (data[:2] == b"PK" and suffix not in (".txt", ".html", ".htm")):
        return _read_docx(data, name)
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        raise ExtractionError(
            _("%(name)s: PDF files are not read yet; paste the text or save it as .txt or .docx")
            % {"name": name}
        )
    text = decode(data, name)
    if suffix in (".html", ".htm") or _looks_like_html(text):
        return html_document(text, name)
    return Document(text=_clean(text), published=published_in_text(text), name=name)


def decode(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise ExtractionError(_("%(name)s is not a text file (binary content)") % {"name": name})
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ExtractionError(
            _("%(name)s is not UTF-8 text (undecodable byte at position %(position)d)")
            % {"name": name, "position": error.start}
        ) from None


def _looks_like_html(text: str) -> bool:
    head = text[:1000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in text)


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    return text[:MAX_CHARS]


# -- HTML

_SKIP = {
    "script",
    "style",
    "noscript",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "svg",
    "button",
    "select",
    "template",
    "iframe",
    "figure",
}
_BLOCKS = {
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "td",
    "th",
    "tr",
    "section",
    "article",
    "main",
    "blockquote",
    "br",
    "ul",
    "ol",
    "dd",
    "dt",
    "table",
}
_VOID = {"br", "img", "meta", "link", "input", "hr", "source", "wbr", "area", "base", "col"}
_DATE_META = {
    "article:published_time",
    "og:published_time",
    "date",
    "dc.date",
    "dcterms.date",
    "dc.date.issued",
    "publication_date",
    "pubdate",
}


class _MainText(HTMLParser):
    """Blocks of text with how much of each is link text, inside or outside <main>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.skip = 0
        self.main = 0
        self.blocks: list[tuple[str, int, bool]] = []  # text, link chars, in main
        self.current: list[str] = []
        self.link_chars = 0
        self.links = 0
        self.title = ""
        self.in_title = False
        self.published = ""
        self.h1 = ""
        self.in_h1 = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "meta":
            key = (attributes.get("property") or attributes.get("name") or "").lower()
            if key in _DATE_META and not self.published:
                self.published = _iso_date(attributes.get("content") or "")
            return
        if tag == "time" and not self.published and attributes.get("datetime"):
            self.published = _iso_date(attributes["datetime"])
        if tag in _VOID:
            if tag == "br":
                self._flush()
            return
        self.stack.append(tag)
        if tag in _SKIP or attributes.get("hidden") is not None:
            self.skip += 1
        if tag in ("main", "article") or attributes.get("role") == "main":
            self.main += 1
        if tag == "a":
            self.links += 1
        if tag == "title":
            self.in_title = True
        if tag == "h1":
            self.in_h1 = True
        if tag in _BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in _VOID or tag not in self.stack:
            return
        while self.stack:
            open_tag = self.stack.pop()
            if open_tag in _SKIP:
                self.skip -= 1
            if open_tag in ("main", "article"):
                self.main = max(0, self.main - 1)
            if open_tag == "a":
                self.links -= 1
            if open_tag == "title":
                self.in_title = False
            if open_tag == "h1":
                self.in_h1 = False
            if open_tag in _BLOCKS:
                self._flush()
            if open_tag == tag:
                break

    def handle_data(self, data):
        if self.in_title:
            self.title += data
            return
        if self.skip:
            return
        if self.in_h1:
            self.h1 += data
        self.current.append(data)
        if self.links:
            self.link_chars += len(data.strip())

    def _flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append((text, self.link_chars, self.main > 0))
        self.current = []
        self.link_chars = 0


def html_document(html: str, name: str = "") -> Document:
    """The main text of a page, its title and its publication date where it gives one."""
    parser = _MainText()
    try:
        parser.feed(html[: MAX_CHARS * 4])
        parser.close()
    except (AssertionError, ValueError) as error:  # malformed beyond what the parser mends
        raise ExtractionError(
            _("%(name)s: unreadable HTML (%(error)s)") % {"name": name or "page", "error": error}
        ) from None
    parser._flush()
    blocks = parser.blocks
    if any(in_main for _text, _links, in_main in blocks):
        blocks = [b for b in blocks if b[2]]
    kept = [
        text
        for text, links, _main in blocks
        if not (links > 0.5 * len(text) and len(text) < 300)  # menus, tag clouds, share links
    ]
    text = _clean("\n\n".join(kept))
    title = " ".join((parser.h1 or parser.title).split())
    return Document(
        text=text,
        title=title,
        published=parser.published or published_in_text(text),
        media="html",
        name=name,
    )


def _iso_date(value: str) -> str:
    match = re.match(r"\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not match:
        return ""
    return "-".join(part for part in match.groups() if part)


# -- Word

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> Document:
    """The paragraphs of a .docx (a zip of XML), within the size limit once unzipped."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            info = archive.getinfo("word/document.xml")
            if info.file_size > MAX_CHARS * 20:
                raise ExtractionError(
                    _("%(name)s: the document is too large once unzipped") % {"name": name}
                )
            root = ElementTree.fromstring(archive.read(info))
            published = ""
            if "docProps/core.xml" in archive.namelist():
                core = archive.read("docProps/core.xml").decode("utf-8", "replace")
                found = re.search(r"<dcterms:created[^>]*>([^<]+)<", core)
                published = _iso_date(found.group(1)) if found else ""
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError):
        raise ExtractionError(_("%(name)s is not a readable .docx file") % {"name": name}) from None
    paragraphs = []
    for paragraph in root.iter(f"{_W}p"):
        words = "".join(node.text or "" for node in paragraph.iter(f"{_W}t"))
        if words.strip():
            paragraphs.append(words.strip())
    text = _clean("\n\n".join(paragraphs))
    return Document(
        text=text, published=published_in_text(text) or published, media="docx", name=name
    )


# -- publication date written in the text ("Published on 12 March 2024", "Publié le …")

_PUBLISHED = re.compile(
    r"(?:published|posted|updated|publié|mis en ligne|date)\s*(?:on|le|:)?\s*"
    r"(\d{1,2}[ /.-]\w+[ /.-]\d{4}|\w+ \d{1,2},? \d{4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)


def published_in_text(text: str) -> str:
    """A publication date stated in the first lines of the text, as YYYY-MM-DD."""
    from .dates import parse_date

    found = _PUBLISHED.search(text[:600])
    if not found:
        return ""
    parsed = parse_date(found.group(1))
    return parsed or ""
