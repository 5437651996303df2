"""Lower layers do not reach up: higher ones register into them (the records' change clock,
the spreadsheet resources, the search receivers and their tasks). The import contract
itself is `lint-imports` (pyproject.toml), run by `make lint` and `make test`."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory
from django.urls import reverse

from passerelle.access.models import AuditEvent
from passerelle.core import changes
from passerelle.core.models import Source
from passerelle.core.spreadsheets import sheets_for
from passerelle.ingest.sheets import RESOURCES
from passerelle.portal.models import Introduction
from passerelle.registry.models import Organization, Place, Topic
from passerelle.search import tasks

TESTS = Path(__file__).resolve().parent


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_the_admins_offer_the_sheets_ingest_registered(staff, kind):
    resource = RESOURCES[kind]
    model = resource._meta.model
    request = RequestFactory().get("/")
    request.user = staff
    model_admin = admin.site._registry[model]
    assert model_admin.get_import_resource_classes(request) == [resource]
    assert model_admin.get_export_resource_classes(request) == [resource]


def test_a_model_without_a_registered_sheet_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured, match=r"core\.Source"):
        sheets_for(Source)


def test_the_change_clock_follows_the_records_not_the_logs(demo, staff):
    before = changes.content_version()
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, user=staff)
    assert changes.content_version() == before  # the audit log is not what pages show
    Introduction.objects.filter(language="en").first().save()
    after_portal = changes.content_version()
    assert after_portal != before
    Topic.objects.get(slug="lung-cancer").save()
    assert changes.content_version() != after_portal


def test_a_transaction_enqueues_one_task_object_per_kind_of_record(
    demo, monkeypatch, django_capture_on_commit_callbacks
):
    enqueued = []

    class Recorder:
        def __init__(self, task):
            self.task = task

        def enqueue(self, label, pks):
            enqueued.append((self.task.name, label, len(pks)))

    monkeypatch.setattr(tasks, "reindex_records", Recorder(tasks.reindex_records))
    with django_capture_on_commit_callbacks(execute=True):
        Place.objects.get(name_en="Lyon").save()
        Topic.objects.get(slug="lung-cancer").save()
    labels = [label for _name, label, _n in enqueued]
    assert {name for name, _label, _n in enqueued} == {"reindex_records"}
    assert "activities.Activity" in labels and "registry.Organization" in labels
    assert len(labels) == len(set(labels)), enqueued  # one per kind, whatever was saved


def test_test_modules_share_helpers_through_conftest_only():
    """A test module imported by another runs its tests twice and ties the two together."""
    offenders = []
    for path in sorted(TESTS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                module = ("." * node.level) + (node.module or "")
                if module.lstrip(".").startswith(("test_", "conftest", "tests")):
                    offenders.append(f"{path.name}: from {module} import …")
    assert not offenders, offenders


def test_the_organization_list_counts_participations_through_the_relation(staff_client, demo):
    """registry's back office counts an actor's participations by the relation activities
    declares on it, without importing activities."""
    clara = Organization.objects.get(acronym="CLARA")
    url = reverse("admin:registry_organization_changelist")
    body = staff_client.get(url, {"q": "CLARA"}).content.decode()
    count = clara.participations.count()
    assert count > 1
    assert f'?organization__id__exact={clara.pk}">{count}</a>' in body
