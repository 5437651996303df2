"""The back office's pages whose query counts are pinned, and the forms posted back as
they were drawn, shared by test_backoffice, test_doors and test_series."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from passerelle.activities.models import Activity
from passerelle.registry.models import Organization


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


PAGES = [
    ("organization list", lambda: reverse("admin:registry_organization_changelist")),
    ("person list", lambda: reverse("admin:registry_person_changelist")),
    ("activity list", lambda: reverse("admin:activities_activity_changelist")),
    ("participation list", lambda: reverse("admin:activities_participation_changelist")),
    (
        "organization detail",
        lambda: reverse(
            "admin:registry_organization_change",
            args=[Organization.objects.get(acronym="CLARA").pk],
        ),
    ),
    (
        "activity detail",
        lambda: reverse(
            "admin:activities_activity_change",
            args=[Activity.objects.get(title_en__contains="with Milan").pk],
        ),
    ),
]

#: Query budgets per page, pinned as NetBox does: raise one only with a reason.
QUERY_BUDGET = {
    "organization list": 12,
    "person list": 10,
    "activity list": 12,
    "participation list": 10,
    "organization detail": 16,
    "activity detail": 26,  # 4 participations shown inline, each row's actor widget queries
}


def _form_value(form, name):
    value = form[name].value()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _empty_inlines(inline_formsets) -> dict:
    """The management data of each inline formset, with its current rows unchanged."""
    data = {}
    for inline in inline_formsets or []:
        formset = inline.formset
        prefix = formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(formset.initial_forms))
        for form in formset.initial_forms:
            for name in form.fields:
                value = _form_value(form, name)
                data[f"{form.prefix}-{name}"] = "" if value is False else value
    return data
