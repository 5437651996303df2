"""Duplicates and merging: everything moves onto the kept record, and an undo puts it back."""

from __future__ import annotations

import pytest
from django.urls import reverse

from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Citation
from passerelle.ingest.merging import (
    MergeError,
    likely_duplicate_organizations,
    likely_duplicate_people,
    merge,
    undo,
)
from passerelle.ingest.models import Merge
from passerelle.registry.models import Identifier, Organization, Person, Place


@pytest.fixture
def duplicate_iarc(demo):
    """IARC typed again by hand, with its own activity, identifier and citation."""
    lyon = Place.objects.get(name_en="Lyon")
    copy = Organization.objects.create(
        name="Intl Agency for Research on Cancer",
        place=lyon,
        acronym="IARC-Lyon",
        kind="international",
    )
    Identifier.objects.create(organization=copy, scheme="website", value="https://iarc.example")
    seminar = Activity.objects.create(kind="event", category="seminar", title_en="Viruses day")
    Participation.objects.create(activity=seminar, organization=copy, role="organizer")
    seed = Citation.objects.first().source
    Citation.objects.create(source=seed, cited=copy, quotation="IARC in Lyon")
    return copy


def test_likely_duplicates_are_found_with_reasons(duplicate_iarc):
    pairs = likely_duplicate_organizations()
    iarc = Organization.objects.get(identifiers__value="00v452281")
    pair = next(p for p in pairs if {p.first, p.second} == {duplicate_iarc, iarc})
    assert pair.score >= 90 and "same city" in pair.reasons


def test_merge_moves_everything_and_undo_puts_it_back(duplicate_iarc, staff):
    iarc = Organization.objects.get(identifiers__value="00v452281")
    before = iarc.participations.count()
    record = merge(iarc, duplicate_iarc, user=staff)
    assert not Organization.objects.filter(pk=duplicate_iarc.pk).exists()
    assert iarc.participations.count() == before + 1
    assert iarc.identifiers.filter(value="https://iarc.example").exists()
    assert set(iarc.names.values_list("value", flat=True)) >= {
        "Intl Agency for Research on Cancer",
        "IARC-Lyon",
    }
    assert iarc.citations.filter(quotation="IARC in Lyon").exists()
    assert record.merged_by == staff
    participation = Participation.objects.get(activity__title_en="Viruses day")
    assert participation.history.first().history_change_reason == "merge"

    restored = undo(record)
    assert restored.uid == duplicate_iarc.uid and restored.name == duplicate_iarc.name
    assert Participation.objects.get(activity__title_en="Viruses day").organization == restored
    assert restored.identifiers.get().value == "https://iarc.example"
    assert restored.citations.get().quotation == "IARC in Lyon"
    assert "Intl Agency for Research on Cancer" not in set(
        iarc.names.values_list("value", flat=True)
    )
    assert iarc.participations.count() == before
    with pytest.raises(MergeError, match="already undone"):
        undo(Merge.objects.get())


def test_merge_refuses_nonsense(demo):
    clara = Organization.objects.get(acronym="CLARA")
    with pytest.raises(MergeError):
        merge(clara, clara)
    with pytest.raises(MergeError):
        merge(clara, Person.objects.first())


def test_people_duplicates_by_initial(demo):
    grenoble = Place.objects.get(name_en="Grenoble")
    Person.objects.create(family_name="Brambilla", given_name="Christian", place=grenoble)
    Person.objects.create(
        family_name="Brambilla", given_name="Elisabeth", place=Place.objects.get(name_en="Lyon")
    )
    pairs = likely_duplicate_people()
    assert [(p.first.given_name, p.second.given_name) for p in pairs] == [("C.", "Christian")]
    keep = pairs[0].second
    merge(keep, pairs[0].first)
    assert keep.participations.filter(role="coordinator").exists()


def test_back_office_merge_and_undo(staff_client, duplicate_iarc):
    url = reverse("admin:ingest_merge_duplicates")
    page = staff_client.get(url)
    assert page.status_code == 200
    assert "Intl Agency for Research on Cancer" in page.content.decode()
    iarc = Organization.objects.get(identifiers__value="00v452281")
    response = staff_client.post(
        url, {"kind": "organization", "keep": iarc.pk, "drop": duplicate_iarc.pk}
    )
    assert response.status_code == 302
    assert not Organization.objects.filter(pk=duplicate_iarc.pk).exists()
    record = Merge.objects.get()
    staff_client.post(
        reverse("admin:ingest_merge_changelist"),
        {"action": "undo_merges", "_selected_action": [record.pk]},
    )
    assert Organization.objects.filter(uid=duplicate_iarc.uid).exists()
