"""The maintained tallies (activities.tallies) equal a recount after every kind of change:
a new activity, an edit, a delete, a partner added or removed, a merge, a visibility change
of an activity, a participation, an organization or a place, and a bulk load. Public
figures count public records only."""

from __future__ import annotations

import contextlib
import importlib
import random
import threading
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.urls import reverse

from passerelle.activities import tallies
from passerelle.activities.models import (
    Activity,
    OrganizationTally,
    Participation,
    PlaceTally,
    TallyMember,
    TieTally,
)
from passerelle.core.authoring import publish
from passerelle.demo.generate import generate
from passerelle.ingest.merging import merge, undo
from passerelle.portal import partnerships
from passerelle.registry.models import Organization, Place


def assert_tallied() -> None:
    """The tallies hold what a recount of the records finds (and something is counted)."""
    expected = tallies.recount()
    assert expected["organizations"], "nothing to count: the test would prove nothing"
    held = tallies.tallied()
    for name, counts in expected.items():
        wrong = {k: (held[name].get(k), v) for k, v in counts.items() if held[name].get(k) != v}
        extra = {k: v for k, v in held[name].items() if k not in counts}
        assert not wrong and not extra, (name, "(held, recounted):", wrong, "extra:", extra)


def _two_partners() -> tuple[Organization, Organization]:
    lyon = Place.objects.get(name_en="Lyon")
    first = Organization.objects.create(name="Tally institute", place=lyon, visibility="public")
    second = Organization.objects.create(name="Tally centre", place=lyon, visibility="public")
    return first, second


def _generated(seed: int) -> None:
    """A generated network over the demo and 120 more organizations (generate needs 50),
    written in bulk as ``passerelle generate`` writes it."""
    places = list(Place.objects.filter(visibility="public")[:6])
    Organization.objects.bulk_create(
        Organization(name=f"Generated {n}", place=places[n % len(places)], visibility="public")
        for n in range(120)
    )
    generate("small", seed=seed)


def _tie(a: Organization, b: Organization) -> int:
    low, high = sorted((a.pk, b.pk))
    row = TieTally.objects.filter(organization_a=low, organization_b=high).first()
    return row.activities if row else 0


@pytest.mark.django_db
def test_the_demo_is_tallied_as_loaded(demo):
    assert_tallied()


@pytest.mark.django_db
def test_create_edit_and_delete_an_activity(demo):
    first, second = _two_partners()
    seminar = Activity.objects.create(kind="event", title_en="Tallied day", visibility="public")
    Participation.objects.create(activity=seminar, organization=first, role="organizer")
    Participation.objects.create(activity=seminar, organization=second, role="partner")
    assert_tallied()
    assert _tie(first, second) == 1
    assert OrganizationTally.objects.get(pk=first.pk).activities == 1

    seminar = Activity.objects.get(pk=seminar.pk)
    seminar.kind, seminar.start = "project", "2021-03"
    seminar.save()
    seminar.places.add(Place.objects.get(name_en="Lyon"))
    assert_tallied()

    seminar.delete()
    assert_tallied()
    assert _tie(first, second) == 0
    assert not OrganizationTally.objects.filter(pk=first.pk).exists()


@pytest.mark.django_db
def test_a_partner_added_moved_and_removed(demo):
    first, second = _two_partners()
    activity = Activity.objects.filter(visibility="public").first()
    taking_part = Participation.objects.create(
        activity=activity, organization=first, role="partner"
    )
    second_role = Participation.objects.create(
        activity=activity, organization=first, role="participant"
    )
    assert_tallied()
    assert OrganizationTally.objects.get(pk=first.pk).participations == 2

    other = Activity.objects.filter(visibility="public").exclude(pk=activity.pk).first()
    moved = Participation.objects.get(pk=second_role.pk)
    moved.activity = other
    moved.save()
    assert_tallied()

    Participation.objects.get(pk=taking_part.pk).delete()
    assert_tallied()
    moved.organization = second
    moved.save()
    assert_tallied()


@pytest.mark.django_db
def test_visibility_changes_count_public_records_only(demo):
    first, second = _two_partners()
    activity = Activity.objects.create(kind="event", title_en="Open day", visibility="public")
    Participation.objects.create(activity=activity, organization=first, role="organizer")
    Participation.objects.create(activity=activity, organization=second, role="partner")
    activity = Activity.objects.get(pk=activity.pk)
    activity.visibility = "confidential"
    activity.save()
    assert_tallied()
    assert _tie(first, second) == 0
    activity.visibility = "public"
    activity.save()
    assert_tallied()
    assert _tie(first, second) == 1

    first = Organization.objects.get(pk=first.pk)
    first.visibility = "confidential"
    first.save()
    assert_tallied()
    assert not OrganizationTally.objects.filter(pk=first.pk).exists()
    first.visibility = "public"
    first.save()
    assert_tallied()

    taking_part = Participation.objects.get(activity=activity, organization=second)
    taking_part.visibility = "internal"
    taking_part.save()
    assert_tallied()
    assert _tie(first, second) == 0


@pytest.mark.django_db
def test_drafts_count_once_published_and_public(demo):
    """A contributor's draft activity and draft partner (never public) count only once an
    editor has published them and made them public; a confidential partner never does."""
    first, _second = _two_partners()
    newcomer = Organization.objects.create(
        name="Drafted institute", place=first.place, visibility="internal", draft=True
    )
    secret = Organization.objects.create(
        name="Quiet institute", place=first.place, visibility="confidential"
    )
    drafted = Activity.objects.create(
        kind="event", title_en="Drafted day", visibility="internal", draft=True
    )
    for organization in (first, newcomer, secret):
        Participation.objects.create(activity=drafted, organization=organization, role="partner")
    assert_tallied()
    assert not OrganizationTally.objects.filter(pk=first.pk).exists()

    assert publish([Activity.objects.get(pk=drafted.pk)]) == 1
    assert_tallied()
    assert not OrganizationTally.objects.filter(pk=first.pk).exists()  # published, internal
    drafted = Activity.objects.get(pk=drafted.pk)
    drafted.visibility = "public"
    drafted.save()
    assert_tallied()
    assert OrganizationTally.objects.get(pk=first.pk).activities == 1
    assert _tie(first, newcomer) == 0

    newcomer = Organization.objects.get(pk=newcomer.pk)
    newcomer.draft, newcomer.visibility = False, "public"
    newcomer.save()
    assert_tallied()
    assert _tie(first, newcomer) == 1
    assert _tie(first, secret) == 0 and _tie(newcomer, secret) == 0


@pytest.mark.django_db
def test_a_place_or_the_region_moves_the_map(demo):
    outside = Organization.objects.filter(
        visibility="public", in_region=False, place__visibility="public", tally__activities__gt=0
    ).first()
    place = Place.objects.get(pk=outside.place_id)
    place.visibility = "internal"
    place.save()
    assert_tallied()
    place.visibility = "public"
    place.save()
    assert_tallied()
    outside = Organization.objects.get(pk=outside.pk)
    outside.in_region = True
    outside.save()
    assert_tallied()
    outside.place = Place.objects.exclude(pk=place.pk).filter(visibility="public").first()
    outside.in_region = False
    outside.save()
    assert_tallied()


@pytest.mark.django_db
def test_a_merge_and_its_undo(demo):
    keep = Organization.objects.filter(visibility="public", tally__activities__gt=1).first()
    lyon = Place.objects.get(name_en="Lyon")
    copy = Organization.objects.create(name=f"{keep.name} (again)", place=lyon, visibility="public")
    shared = Participation.objects.filter(organization=keep).first().activity
    Participation.objects.create(activity=shared, organization=copy, role="partner")
    seminar = Activity.objects.create(kind="event", title_en="Copy's day", visibility="public")
    Participation.objects.create(activity=seminar, organization=copy, role="organizer")
    assert_tallied()
    record = merge(keep, copy)
    assert_tallied()
    assert not OrganizationTally.objects.filter(pk=copy.pk).exists()
    undo(record)
    assert_tallied()


@pytest.mark.django_db
def test_a_bulk_load_and_the_command_rebuild(demo):
    _generated(3)
    assert_tallied()
    TieTally.objects.all().delete()
    OrganizationTally.objects.filter(pk__in=OrganizationTally.objects.values("pk")[:5]).delete()
    call_command("rebuild_tallies", verbosity=0)
    assert_tallied()


@pytest.mark.django_db
def test_the_migration_counts_what_the_database_holds(demo):
    """activities.0008_tallies counts with its own SQL (not the current rebuild()): on a
    database whose tallies are empty, it finds what a recount finds."""
    from django.apps import apps

    migration = importlib.import_module("passerelle.activities.migrations.0008_tallies")
    for model in (TallyMember, OrganizationTally, PlaceTally, TieTally):
        model.objects.all()._raw_delete(model.objects.db)
    assert not tallies.tallied()["organizations"]
    migration.count_what_is_there(apps, SimpleNamespace(connection=connection))
    assert_tallied()


@pytest.mark.django_db
def test_the_pages_read_the_tallies_as_they_counted(demo, client):
    """Unfiltered, the map and the network read the tallies; the same figures as counting."""
    _generated(5)
    counted_filters = partnerships.Filters(since=1000)  # every dated activity…
    Activity.objects.filter(start="").update(start="2000")  # …which is every one
    tallied_map = partnerships.partnership_map(partnerships.Filters())
    counted_map = partnerships.partnership_map(counted_filters)
    assert tallied_map["points"] == counted_map["points"]
    tallied = partnerships.partnership_network(partnerships.Filters())
    counted = partnerships.partnership_network(counted_filters)

    def shape(links):
        return sorted((x["source"], x["target"], x["shared_activities"]) for x in links)

    assert shape(tallied["links"]) == shape(counted["links"])
    for a, b in zip(tallied["nodes"], counted["nodes"], strict=True):
        assert {k: (v, b[k]) for k, v in a.items() if b[k] != v} == {}
    assert tallied["links"] == counted["links"]
    assert client.get(reverse("portal:country", kwargs={"code": "fr"})).status_code == 200


@pytest.mark.django_db
def test_a_tally_row_deleted_before_its_lock_is_inserted_again(demo):
    """Between this transaction's insert (a conflict: nothing inserted) and its lock,
    another may empty the row and delete it: the lock then finds nothing, and the row is
    inserted again and locked, so that the delta is not lost."""
    first, _second = _two_partners()
    OrganizationTally.objects.create(organization=first, activities=1, participations=1)
    locks = []

    def rows_of(keys):
        if not locks:  # the other transaction's delete, committed as the lock is granted
            OrganizationTally.objects.filter(pk__in=keys).delete()
        locks.append(keys)
        rows = OrganizationTally.objects.select_for_update().filter(pk__in=keys)
        return {pk: (pk, n) for pk, n in rows.values_list("pk", "activities")}

    held = tallies._locked(
        OrganizationTally,
        [first.pk],
        lambda o: OrganizationTally(organization_id=o, activities=0, participations=0),
        rows_of,
    )
    assert held == {first.pk: (first.pk, 0)} and len(locks) == 2
    assert OrganizationTally.objects.filter(pk=first.pk, activities=0).exists()


# -- concurrent writers (PostgreSQL: SQLite lets one writer in at a time)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent writers need PostgreSQL (SQLite has one writer at a time)",
)


def _network_abroad(partners: int) -> tuple[list[Organization], list[Activity]]:
    """Organizations based abroad (the map counts their places), committed, with no tally
    yet, and three public activities with one partner in common, the hub (in the region:
    no place of the map)."""
    lyon = Place.objects.create(name_en="Lyon", country="FR", visibility="public")
    milan = Place.objects.create(name_en="Milan", country="IT", visibility="public")
    turin = Place.objects.create(name_en="Turin", country="IT", visibility="public")
    organizations = [
        Organization.objects.create(
            name=f"Partner {n}", place=milan if n % 2 else turin, visibility="public"
        )
        for n in range(partners)
    ]
    hub = Organization.objects.create(name="Hub", place=lyon, in_region=True, visibility="public")
    activities = [
        Activity.objects.create(kind="event", title_en=f"Meeting {n}", visibility="public")
        for n in range(3)
    ]
    for activity in activities:
        Participation.objects.create(activity=activity, organization=hub, role="organizer")
    return organizations, activities


def _at_once(monkeypatch, *writes) -> None:
    """Each write in its own thread, connection and transaction, every retally held right
    after it has read the records until the others have too (at most 2 s: a writer that
    waits for a lock never gets there). Without the locks, each would then apply its
    difference from the same old tallies."""
    barrier = threading.Barrier(len(writes), timeout=2)
    read_records = tallies._members_now

    def held(activity_ids):
        found = read_records(activity_ids)
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()
        return found

    monkeypatch.setattr(tallies, "_members_now", held)
    errors: list[BaseException] = []

    def run(write) -> None:
        try:
            with transaction.atomic():
                write()
        except BaseException as error:  # reported by the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(write,)) for write in writes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    monkeypatch.setattr(tallies, "_members_now", read_records)
    assert not errors, errors


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_create_the_same_tally_rows(monkeypatch):
    """The same organization joins two activities at once: both transactions find its
    tally, its place's and its tie with the hub missing, and both add them."""
    (partner,), (first, second, _third) = _network_abroad(1)

    def joins(activity):
        return lambda: Participation.objects.create(
            activity=activity, organization=partner, role="partner"
        )

    _at_once(monkeypatch, joins(first), joins(second))
    assert_tallied()
    assert OrganizationTally.objects.get(pk=partner.pk).activities == 2
    assert PlaceTally.objects.get(pk=partner.place_id).activities == 2
    assert _tie(partner, Organization.objects.get(name="Hub")) == 2


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_two_writers_retally_one_activity(monkeypatch):
    """Two partners join one activity at once: the second retally reads what the first
    wrote, so that the two new partners' tie is counted and nothing twice."""
    (one, other), (activity, _second, _third) = _network_abroad(2)

    def joins(organization):
        return lambda: Participation.objects.create(
            activity=activity, organization=organization, role="partner"
        )

    _at_once(monkeypatch, joins(one), joins(other))
    assert_tallied()
    assert _tie(one, other) == 1
    assert OrganizationTally.objects.get(pk=Organization.objects.get(name="Hub").pk).activities == 3


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_many_writers_at_once_leave_the_tallies_right():
    """Four writers joining, leaving and changing roles in three activities, none held:
    no error, and the tallies equal a recount."""
    partners, activities = _network_abroad(6)
    errors: list[BaseException] = []

    def writer(seed: int) -> None:
        chance = random.Random(seed)
        try:
            for _ in range(12):
                with transaction.atomic():
                    activity = chance.choice(activities)
                    partner = chance.choice(partners)
                    taking_part = Participation.objects.filter(
                        activity=activity, organization=partner
                    ).first()
                    if taking_part is None:
                        Participation.objects.create(
                            activity=activity, organization=partner, role="partner"
                        )
                    elif chance.random() < 0.5:
                        taking_part.delete()
                    else:
                        taking_part.visibility = (
                            "internal" if taking_part.visibility == "public" else "public"
                        )
                        taking_part.save()
        except BaseException as error:  # reported by the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert Participation.objects.count() > len(activities)
    assert_tallied()
