"""ROR records in both schemas, and a file of them, shared by the ROR import's tests."""

from __future__ import annotations

import gzip
import json

CLB_V2 = {
    "id": "https://ror.org/01cmnjq37",
    "names": [
        {"lang": "fr", "types": ["ror_display", "label"], "value": "Centre Léon Bérard"},
        {"lang": None, "types": ["acronym"], "value": "CLB"},
        {"lang": "en", "types": ["label"], "value": "Leon Berard Cancer Center"},
        {"lang": "en", "types": ["alias"], "value": "Centre de lutte contre le cancer de Lyon"},
    ],
    "types": ["healthcare", "facility"],
    "status": "active",
    "locations": [
        {
            "geonames_id": 2996944,
            "geonames_details": {
                "name": "Lyon",
                "country_code": "FR",
                "country_subdivision_name": "Auvergne-Rhône-Alpes",
                "lat": 45.74846,
                "lng": 4.84671,
            },
        }
    ],
    "external_ids": [
        {"type": "grid", "all": ["grid.418116.b"], "preferred": "grid.418116.b"},
        {"type": "isni", "all": ["0000 0000 9437 728X"], "preferred": None},
    ],
    "links": [{"type": "website", "value": "https://www.centreleonberard.fr"}],
    "relationships": [{"type": "related", "id": "https://ror.org/01502ca60", "label": "HCL"}],
    "admin": {"last_modified": {"date": "2024-01-01", "schema_version": "2.1"}},
}
HCL_V1 = {
    "id": "https://ror.org/01502ca60",
    "name": "Hospices Civils de Lyon",
    "aliases": ["HCL Lyon"],
    "acronyms": ["HCL"],
    "labels": [{"label": "Lyon University Hospitals", "iso639": "en"}],
    "types": ["Healthcare"],
    "status": "active",
    "country": {"country_code": "FR", "country_name": "France"},
    "addresses": [
        {
            "city": "Lyon",
            "lat": 45.74846,
            "lng": 4.84671,
            "geonames_city": {
                "id": 2996944,
                "city": "Lyon",
                "geonames_admin1": {"name": "Auvergne-Rhône-Alpes"},
            },
        }
    ],
    "external_ids": {
        "GRID": {"preferred": "grid.413852.9", "all": "grid.413852.9"},
        "Wikidata": {"preferred": None, "all": ["Q3140095"]},
    },
    "links": ["http://www.chu-lyon.fr/"],
    "relationships": [{"type": "Child", "id": "https://ror.org/01cmnjq37"}],
}
CRCL_CHILD = {
    "id": "https://ror.org/02mgw3155",
    "names": [
        {
            "lang": "fr",
            "types": ["ror_display"],
            "value": "Centre de Recherche en Cancérologie de Lyon",
        }
    ],
    "types": ["facility"],
    "status": "active",
    "locations": [],
    "relationships": [{"type": "parent", "id": "https://ror.org/01cmnjq37"}],
}


def _jsonl(path, records, gz=False):
    lines = "".join(
        (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n" for r in records
    ).encode()
    if gz:
        with gzip.open(path, "wb") as out:
            out.write(lines)
    else:
        path.write_bytes(lines)
    return path
