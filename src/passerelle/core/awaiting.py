"""Drafts awaiting an editor: the desk's source for records contributors created.

A contributor's record stays a draft, unseen by the portal, until an editor publishes
it (core.authoring). The editors' desk lists the drafts they may publish — those they
may change, so a confidential draft reaches only the editors who read it — oldest
first; one query per kind of record, whatever the number of drafts.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.apps import apps
from django.contrib.admin.sites import NotRegistered
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .desk import Attention
from .models import Record
from .querysets import publishes
from .users import AnyUser

#: After this many days unchanged, a draft is reminded to the editors (once).
WAITING_DAYS = 7


def record_models() -> list[type[Record]]:
    """Every concrete record model that has a back-office page."""
    from django.contrib import admin

    models = []
    for model in apps.get_models():
        if not issubclass(model, Record):
            continue
        try:
            admin.site.get_model_admin(model)
        except NotRegistered:
            continue
        models.append(model)
    return models


def drafts_awaiting_an_editor(user: AnyUser, today: datetime.date) -> Iterator[Attention]:
    """The drafts ``user`` may publish, each a link to its page (see the module docstring)."""
    if not publishes(user):
        return
    for model in record_models():
        opts = model._meta
        # one reverse() per kind, not per draft: the page's time is Python's, not SQL's
        address = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[0])
        head, tail = address.rsplit("/0/", 1)
        kind = capfirst(str(opts.verbose_name))
        rows = model._default_manager.restrict(user, "change").filter(draft=True)
        for record in rows.order_by("updated", "pk"):
            since = timezone.localdate(record.updated)
            waited = (today - since).days
            yield Attention(
                source="drafts",
                key=f"draft:{opts.label_lower}:{record.pk}",
                label=_("%(kind)s «%(record)s»") % {"kind": kind, "record": record},
                url=f"{head}/{record.pk}/{tail}",
                due=since,
                severity="warning" if waited >= WAITING_DAYS else "info",
                threshold="waiting" if waited >= WAITING_DAYS else "",
            )
