"""Reading ROR dumps: files in every form ROR publishes, records in schema v1 and v2.

ROR's own dumps mix schemas over the years (v1 until 2024, v2 since), so a
record is read into one :class:`RorRecord` whatever its schema, and everything
that cannot be read becomes a :class:`RorError` with its line, never an
exception in the middle of an import.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django_countries import countries

from passerelle.core.identifiers import normalize_identifier

#: Schema versions this reader knows (``admin.last_modified.schema_version``).
KNOWN_SCHEMAS = {"1.0", "2.0", "2.1"}

#: ROR organization types, most telling first, and the kind each becomes.
KIND_BY_ROR_TYPE = {
    "education": "university",
    "healthcare": "hospital",
    "company": "company",
    "facility": "research_institute",
    "government": "government",
    "nonprofit": "other",
    "funder": "funder",
    "archive": "other",
    "other": "other",
}
RELATIONSHIP_KINDS = {"parent", "child", "related", "successor", "predecessor"}
EXTERNAL_SCHEMES = {"wikidata": "wikidata", "isni": "isni", "fundref": "fundref", "grid": "grid"}


@dataclass
class RorError:
    """A record that cannot be imported, and where it is."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class RorRecord:
    """One ROR record, read the same way from either schema."""

    ror: str
    name: str
    status: str = "active"
    kind: str = "other"
    labels: list[tuple[str, str]] = field(default_factory=list)  # (value, language)
    aliases: list[tuple[str, str]] = field(default_factory=list)
    acronyms: list[str] = field(default_factory=list)
    city: str = ""
    region: str = ""
    country: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geonames_id: int | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)  # (scheme, value)
    relationships: list[tuple[str, str]] = field(default_factory=list)  # (kind, ror id)

    def label(self, language: str) -> str:
        return next((value for value, lang in self.labels if lang == language), "")


@dataclass
class RawRecord:
    """A record as read from the file: where it is, its text's digest, and its text."""

    where: str
    digest: str
    text: str | bytes


def digest_of(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.blake2b(data.strip(), digest_size=16).hexdigest()


def read_dump(path: str | Path) -> Iterator[RawRecord | RorError]:
    """Every record of a ROR dump (.jsonl, .jsonl.gz, .json, .zip), unparsed."""
    path = Path(path)
    name = path.name.lower()
    try:
        if name.endswith(".zip"):
            yield from _read_zip(path)
        elif name.endswith((".jsonl.gz", ".json.gz", ".gz")):
            with gzip.open(path, "rb") as lines:
                yield from _read_lines(lines, path.name)
        elif name.endswith(".jsonl"):
            with open(path, "rb") as lines:
                yield from _read_lines(lines, path.name)
        elif name.endswith(".json"):
            with open(path, "rb") as stream:
                yield from _read_array(stream.read(), path.name)
        else:
            yield RorError(path.name, "unknown file type: use .jsonl, .jsonl.gz, .json or .zip")
    except FileNotFoundError:
        yield RorError(str(path), "no such file")
    except zipfile.BadZipFile:
        yield RorError(path.name, "not a readable zip archive")


def _read_lines(lines: io.BufferedIOBase, label: str) -> Iterator[RawRecord | RorError]:
    number = 0
    try:
        for number, line in enumerate(lines, start=1):
            if line.strip():
                yield RawRecord(f"{label} line {number}", digest_of(line), line)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError) as error:
        yield RorError(
            f"{label} after line {number}", f"the file is truncated or corrupt ({error})"
        )


def _read_array(data: bytes, label: str) -> Iterator[RawRecord | RorError]:
    try:
        records = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        yield RorError(label, f"not JSON: {error}")
        return
    if not isinstance(records, list):
        yield RorError(label, "expected a JSON array of records")
        return
    for index, record in enumerate(records, start=1):
        text = json.dumps(record, ensure_ascii=False, sort_keys=True)
        yield RawRecord(f"{label} record {index}", digest_of(text), text)


def _read_zip(path: Path) -> Iterator[RawRecord | RorError]:
    with zipfile.ZipFile(path) as archive:
        members = [m for m in archive.namelist() if m.lower().endswith((".json", ".jsonl"))]
        if not members:
            yield RorError(path.name, "the archive holds no .json file")
            return
        # ROR's zips hold the same records in schema v1 and v2: read the v2 file.
        member = next((m for m in members if "schema_v2" in m), members[0])
        with archive.open(member) as stream:
            if member.lower().endswith(".jsonl"):
                yield from _read_lines(stream, member)
            else:
                yield from _read_array(stream.read(), member)


def parse(raw: RawRecord) -> RorRecord | RorError:
    """Read a raw record in either schema, or say why it cannot be read."""
    try:
        record = json.loads(raw.text)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return RorError(raw.where, f"not JSON: {error.msg if hasattr(error, 'msg') else error}")
    if not isinstance(record, dict):
        return RorError(raw.where, f"expected a JSON object, found {type(record).__name__}")
    version = str(
        ((record.get("admin") or {}).get("last_modified") or {}).get("schema_version") or ""
    )
    if version and version not in KNOWN_SCHEMAS:
        return RorError(raw.where, f"unknown schema version {version}")
    raw_id = record.get("id")
    if not isinstance(raw_id, str) or not raw_id:
        return RorError(raw.where, "the record has no id")
    try:
        ror = normalize_identifier("ror", raw_id)
    except ValueError as error:
        return RorError(raw.where, str(error))
    try:
        parsed = _parse_v2(record, ror) if "names" in record else _parse_v1(record, ror)
    except (TypeError, KeyError, AttributeError, ValueError) as error:
        return RorError(f"{raw.where} ({ror})", f"malformed record: {error!r}")
    if not parsed.name:
        return RorError(f"{raw.where} ({ror})", "the record has no name")
    if parsed.country and parsed.country not in countries:
        return RorError(f"{raw.where} ({ror})", f"unknown country {parsed.country}")
    return parsed


def _kind(types: list[str]) -> str:
    lowered = {t.lower() for t in types}
    return next((kind for t, kind in KIND_BY_ROR_TYPE.items() if t in lowered), "other")


def _identifiers(pairs: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """Normalized identifiers, dropping the malformed ones ROR sometimes holds."""
    result, seen = [], set()
    for scheme, value in pairs:
        values = value if isinstance(value, list) else [value]
        for item in values:
            if not item:
                continue
            try:
                normalized = normalize_identifier(scheme, str(item))
            except ValueError:
                continue
            if (scheme, normalized) not in seen:
                seen.add((scheme, normalized))
                result.append((scheme, normalized))
    return result


def _relationships(entries: list[dict]) -> list[tuple[str, str]]:
    result = []
    for entry in entries or []:
        kind = str(entry.get("type", "")).lower()
        try:
            target = normalize_identifier("ror", str(entry.get("id", "")))
        except ValueError:
            continue
        if kind in RELATIONSHIP_KINDS:
            result.append((kind, target))
    return result


def _names_v2(record: dict) -> list[tuple[str, list[str], str]]:
    """The record's names as (value, types, language), leaving out entries that are not a
    name object with a text value: ``"names": []``, a string or ``[null]`` mean no name,
    which :func:`parse` reports as such rather than as a malformed record."""
    names = record.get("names")
    result = []
    for entry in names if isinstance(names, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            continue
        value, types, lang = entry["value"].strip(), entry.get("types"), entry.get("lang")
        if value:
            types = [t for t in types if isinstance(t, str)] if isinstance(types, list) else []
            result.append((value, types, lang if isinstance(lang, str) else ""))
    return result


def _parse_v2(record: dict, ror: str) -> RorRecord:
    names = _names_v2(record)
    display = next((value for value, types, _ in names if "ror_display" in types), "")
    parsed = RorRecord(ror=ror, name=display or (names[0][0] if names else ""))
    for value, types, lang in names:
        if "acronym" in types:
            parsed.acronyms.append(value)
        elif "label" in types and value != parsed.name:
            parsed.labels.append((value, lang))
        elif "alias" in types:
            parsed.aliases.append((value, lang))
        elif "label" in types and lang:
            parsed.labels.append((value, lang))
    parsed.status = record.get("status") or "active"
    parsed.kind = _kind(record.get("types") or [])
    locations = record.get("locations") or []
    if locations:
        details = locations[0].get("geonames_details") or {}
        parsed.city = details.get("name") or ""
        parsed.region = details.get("country_subdivision_name") or ""
        parsed.country = (details.get("country_code") or "").upper()
        parsed.latitude, parsed.longitude = details.get("lat"), details.get("lng")
        parsed.geonames_id = locations[0].get("geonames_id")
    pairs: list[tuple[str, object]] = [("ror", ror)]
    for external in record.get("external_ids") or []:
        scheme = EXTERNAL_SCHEMES.get(str(external.get("type", "")).lower())
        if scheme:
            pairs.append((scheme, external.get("all") or external.get("preferred")))
    websites = [
        link["value"] for link in record.get("links") or [] if link.get("type") == "website"
    ]
    pairs.extend(("website", w) for w in websites[:1])
    parsed.identifiers = _identifiers(pairs)
    parsed.relationships = _relationships(record.get("relationships"))
    return parsed


def _parse_v1(record: dict, ror: str) -> RorRecord:
    name = record.get("name")
    parsed = RorRecord(ror=ror, name=name.strip() if isinstance(name, str) else "")
    parsed.acronyms = [a for a in record.get("acronyms") or [] if a]
    parsed.aliases = [(a, "") for a in record.get("aliases") or [] if a]
    parsed.labels = [
        (label["label"], label.get("iso639") or "")
        for label in record.get("labels") or []
        if label.get("label")
    ]
    parsed.status = record.get("status") or "active"
    parsed.kind = _kind(record.get("types") or [])
    parsed.country = ((record.get("country") or {}).get("country_code") or "").upper()
    addresses = record.get("addresses") or []
    if addresses:
        address = addresses[0]
        city = address.get("geonames_city") or {}
        parsed.city = address.get("city") or city.get("city") or ""
        parsed.region = (city.get("geonames_admin1") or {}).get("name") or ""
        parsed.latitude, parsed.longitude = address.get("lat"), address.get("lng")
        parsed.geonames_id = city.get("id")
    pairs: list[tuple[str, object]] = [("ror", ror)]
    for key, external in (record.get("external_ids") or {}).items():
        scheme = EXTERNAL_SCHEMES.get(key.lower())
        if scheme and isinstance(external, dict):
            pairs.append((scheme, external.get("all") or external.get("preferred")))
    pairs.extend(("website", link) for link in (record.get("links") or [])[:1])
    parsed.identifiers = _identifiers(pairs)
    parsed.relationships = _relationships(record.get("relationships"))
    return parsed


def import_values(record: RorRecord) -> dict:
    """What the import sets on an organization, as stored for the next three-way merge."""
    name_en, name_fr = _label_if_other(record, "en"), _label_if_other(record, "fr")
    held = {record.name, name_en, name_fr}
    names = [[value, "label", lang] for value, lang in record.labels if value not in held]
    names += [[value, "alias", lang] for value, lang in record.aliases]
    names += [[value, "acronym", ""] for value in record.acronyms[1:]]
    parent = next((ror for kind, ror in record.relationships if kind == "parent"), "")
    return {
        "name": record.name,
        "name_en": name_en,
        "name_fr": name_fr,
        "acronym": record.acronyms[0] if record.acronyms else "",
        "kind": record.kind,
        "status": record.status,
        "place": record.geonames_id,
        "parent": parent,
        "names": names,
        "identifiers": [list(pair) for pair in record.identifiers],
    }


def _label_if_other(record: RorRecord, language: str) -> str:
    label = record.label(language)
    return label if label and label != record.name else ""
