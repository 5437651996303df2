"""Loading the demo network and the demo account.

Loading the demo again (``load-demo``, ``make demo``) brings its records up to
date without undoing what staff changed in them, as the ROR import does: for
each field of each demo record (and of each agreement's commitments), the
record's history says who last changed it. When the demo wrote it last, the
demo's value applies; when someone else did, their value is kept, and the run
lists it. The demo's participations, topics, names and identifiers still
follow the demo.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models

from passerelle.activities.models import Commitment
from passerelle.ingest.interchange import BY_KEY, PARTS, ImportSummary, import_document

from .document import demo_document
from .officework import extend
from .portal_texts import load_portal_texts

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "passerelle-demo"
REASON = "demo network"

#: Each section's model, fields and naming field, as the interchange format declares them.
SECTIONS: dict[str, tuple[type[models.Model], tuple[str, ...], str]] = {
    key: (BY_KEY[key].model, BY_KEY[key].fields, BY_KEY[key].name_field)
    for key in ("sources", "places", "topics", "organizations", "people", "activities")
}
#: A commitment's order is its place in the demo's list, not something staff edit.
COMMITMENT_KEPT_FIELDS = tuple(name for name in PARTS["commitments"].fields if name != "position")


@dataclass
class KeptEdit:
    """A field someone changed since the demo wrote it, kept as they left it."""

    section: str
    record: str
    field: str
    ours: Any
    demo: Any

    def __str__(self) -> str:
        return (
            f"{self.section} «{self.record}» {self.field}: kept {_shown(self.ours)} "
            f"(the demo says {_shown(self.demo)})"
        )


@dataclass
class DemoSummary(ImportSummary):
    kept: list[KeptEdit] = field(default_factory=list)

    def __str__(self) -> str:
        text = super().__str__()
        if self.kept:
            text += f"; {len(self.kept)} field(s) edited since the demo wrote them kept"
        return text


def _shown(value: Any) -> str:
    return "nothing" if _empty(value) else f"“{value}”"


def _empty(value: Any) -> bool:
    return value in ("", None, False, [])


def _plain(value: Any) -> Any:
    """A model value as the interchange document holds it."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if hasattr(value, "code"):  # a country
        return value.code
    if isinstance(value, list | tuple):  # several countries
        return [_plain(v) for v in value]
    return str(value)  # decimals, UUIDs


def _same(a: Any, b: Any) -> bool:
    return (_empty(a) and _empty(b)) or a == b


def _last_changed_by_demo(
    history: models.QuerySet, uids: list[str], names: tuple[str, ...]
) -> dict[str, dict[str, bool]]:
    """For each record, each field: whether the last change to it was the demo's."""
    result: dict[str, dict[str, bool]] = defaultdict(dict)
    previous: dict[str, Any] = {}
    rows = history.filter(uid__in=uids).order_by("uid", "history_date", "history_id")
    for row in rows.iterator():
        uid = str(row.uid)
        before = previous.get(uid)
        for name in names:
            value = _plain(getattr(row, name))
            if before is None or not _same(value, _plain(getattr(before, name))):
                result[uid][name] = row.history_change_reason == REASON
        previous[uid] = row
    return result


def _keep(
    section: str,
    model: type[models.Model],
    names: tuple[str, ...],
    label_field: str,
    records: list[dict],
) -> list[KeptEdit]:
    """Write into ``records`` the values staff gave the fields they changed last."""
    uids = [r["id"] for r in records if isinstance(r.get("id"), str)]
    current = {str(k): v for k, v in model.objects.in_bulk(uids, field_name="uid").items()}
    if not current:
        return []
    by_demo = _last_changed_by_demo(model.history.all(), list(current), names)
    kept = []
    for record in records:
        obj = current.get(str(uuid.UUID(record["id"])))
        if obj is None:
            continue
        for name in names:
            ours = _plain(getattr(obj, name))
            if _same(ours, record.get(name)) or by_demo[str(obj.uid)].get(name, True):
                continue
            label = record.get(label_field) or getattr(obj, label_field, "") or record["id"]
            kept.append(KeptEdit(section, str(label), name, ours, record.get(name)))
            record[name] = ours
    return kept


def keep_staff_edits(document: dict) -> list[KeptEdit]:
    """The demo document, changed so that importing it keeps what staff edited in the demo's
    records; returns what it kept."""
    kept: list[KeptEdit] = []
    for section, (model, names, label_field) in SECTIONS.items():
        kept += _keep(section, model, names, label_field, document.get(section, []))
    commitments = [c for a in document.get("activities", []) for c in a.get("commitments", [])]
    kept += _keep("commitments", Commitment, COMMITMENT_KEPT_FIELDS, "text_en", commitments)
    return kept


def load_demo_network(*, migrate: bool = True) -> DemoSummary:
    """Create (or bring up to date) the seed network; running it twice changes nothing, and
    what staff changed in its records since the demo wrote them is kept."""
    if migrate:
        call_command("migrate", interactive=False, verbosity=0)
    document = extend(demo_document())
    kept = keep_staff_edits(document)
    summary = import_document(document, reason=REASON)
    load_portal_texts()
    return DemoSummary(
        created=summary.created, updated=summary.updated, unchanged=summary.unchanged, kept=kept
    )


def ensure_demo_account() -> None:
    """A staff superuser for the demo's back office, with a password printed by `make demo`."""
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.org"}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(DEMO_PASSWORD)
    user.save()
