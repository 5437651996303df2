"""Search: one box over every kind of record, on SQLite FTS5 and PostgreSQL alike.

The suite runs on both databases (CI runs it twice), and these tests expect the
same top results from each.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.utils import translation

from passerelle.access.roles import ensure_roles
from passerelle.registry.models import Organization, Place, Topic
from passerelle.search import indexing
from passerelle.search.engine import Filters, search
from passerelle.search.models import SearchEntry
from passerelle.search.text import name_tokens, query_words, text_tokens

ANONYMOUS = AnonymousUser()

NASTY = [
    "",
    " ",
    '"',
    "'",
    "*",
    "NEAR",
    "lung NEAR cancer",
    '"unbalanced',
    "cancer*",
    "-- DROP TABLE search_searchentry;",
    "' OR 1=1 --",
    "a AND (b OR",
    "{names}: x",
    "😀🚀",
    "肺癌 研究",
    "рак лёгкого",
    "x" * 10_000,
    "%_%",
    "\\",
    "NOT",
]


def titles(results, kind: str | None = None) -> list[str]:
    return [h.entry.title for h in results.hits if kind is None or h.entry.kind == kind]


def test_words_are_folded_stemmed_in_both_languages_and_stripped_of_syntax():
    assert text_tokens("Cancers")[:1] == ["cancer"]
    assert "cancer" in text_tokens("cancéreuses")  # the French stem meets the English word
    assert name_tokens("Centre International de Recherche sur le Cancer (C.I.R.C.)") == [
        "centre",
        "international",
        "recherche",
        "cancer",
        "circ",
    ]
    assert query_words('"lung* NEAR cancer" -- DROP') == ["lung", "near", "cancer", "drop"]
    assert query_words("the") == ["the"]  # a query of stop words alone still searches


@pytest.mark.parametrize(
    "query",
    [
        "IARC",
        "CIRC",
        "International Agency for Research on Cancer",
        "centre international de recherche",
    ],
)
def test_acronyms_and_names_in_other_languages_find_the_same_organization(demo, query):
    results = search(query, ANONYMOUS)
    assert titles(results)[0] == "International Agency for Research on Cancer", titles(results)


def test_a_typo_in_a_name_is_forgiven_and_said(demo):
    results = search("Bramblla", ANONYMOUS)
    assert titles(results)[0] == "Pr. C. Brambilla"
    assert "brambilla" in results.corrections["bramblla"]


def test_french_and_english_words_meet(demo):
    for query in ("cellules souches cancéreuses", "cancer stem cells"):
        assert "Joint research project on cancer stem cells" in titles(search(query, ANONYMOUS))


def test_a_french_reader_reads_french_titles_and_summaries(demo, client):
    with translation.override("fr"):
        shown = [hit.entry.shown_title for hit in search("cellules souches", ANONYMOUS).hits]
    assert "Projet de recherche commun sur les cellules souches cancéreuses" in shown, shown
    with translation.override("en"):
        english = [hit.entry.shown_title for hit in search("cellules souches", ANONYMOUS).hits]
    assert "Joint research project on cancer stem cells" in english, english
    # a topic's name and kind, on the French page, whatever the indexing's language was
    topic = Topic.objects.get(slug="lymphoma")
    page = client.get("/fr/recherche/?q=lymphoma&kind=topic").content.decode()
    assert topic.name_fr in page and topic.name_en not in page


def test_matches_are_highlighted_and_text_stays_text(demo):
    Organization.objects.filter(acronym="IBEC").update(name="<b>IBEC</b> & co")
    indexing.reindex([Organization])
    hit = search("IBEC", ANONYMOUS).hits[0]
    assert str(hit.title) == "&lt;b&gt;<mark>IBEC</mark>&lt;/b&gt; &amp; co"


def test_facets_filter_and_pages(demo):
    everything = search("cancer", ANONYMOUS, per_page=5)
    kinds = dict(everything.facets["kind"])
    assert kinds["activity"] >= 5 and kinds["organization"] >= 3
    assert everything.pages == -(-everything.total // 5)
    assert len(everything.hits) == 5
    second = search("cancer", ANONYMOUS, per_page=5, page=2)
    assert not {h.entry.pk for h in second.hits} & {h.entry.pk for h in everything.hits}
    only = search("cancer", ANONYMOUS, Filters(kind="organization", country="IT"))
    assert titles(only) == ["Cancer research cluster in Milan"]
    by_year = search("Shanghai", ANONYMOUS, Filters(kind="activity", year=2015))
    assert titles(by_year) == ["Collaborative program between Auvergne-Rhône-Alpes and Shanghai"]
    assert search("Shanghai", ANONYMOUS, Filters(kind="activity", year=2009)).total == 0


def test_odd_queries_give_a_result_or_a_message_never_an_error(demo, client):
    for query in NASTY:
        results = search(query, ANONYMOUS)
        assert results.hits or results.notes or results.total == 0
        page = client.get("/en/search/", {"q": query})
        assert page.status_code == 200, query
        data = client.get("/en/search.json", {"q": query})
        assert data.status_code == 200 and data.json()["query"] == query[:200].strip()
        api = client.get("/api/search", {"q": query})
        # longer than the API takes: a 422 that says so
        assert api.status_code == (422 if len(query) > 1000 else 200), (query, api.content)
        matched = client.get("/api/match", {"q": query})
        assert matched.status_code == (422 if len(query) > 5000 else 200), (query, matched.content)


@pytest.fixture
def secret(demo):
    """A confidential organization with a name found nowhere else."""
    ensure_roles()
    return Organization.objects.create(
        name="Zanzibar Oncology Secretariat", kind="agency", visibility="confidential"
    )


def test_search_never_shows_a_record_the_user_may_not_read(secret, client):
    make = get_user_model().objects.create_user
    viewer = make("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name="viewer"))
    reader = make("reader", is_staff=True)
    secret.readers.create(user=reader)
    admin = get_user_model().objects.create_superuser("admin", "a@example.org", "pw-admin-1")
    for user, sees in [(ANONYMOUS, False), (viewer, False), (reader, True), (admin, True)]:
        assert bool(titles(search("Zanzibar", user))) is sees, user
    assert (
        "Oncology Secretariat" not in client.get("/en/search/", {"q": "Zanzibar"}).content.decode()
    )
    assert client.get("/api/search", {"q": "Zanzibar"}).json()["total"] == 0
    client.force_login(reader)
    assert client.get("/api/search", {"q": "Zanzibar"}).json()["total"] == 1


def test_index_and_records_agree_after_a_commit_and_after_a_rollback(
    demo, django_capture_on_commit_callbacks
):
    def found(word: str) -> list[str]:
        return titles(search(word, ANONYMOUS))

    iarc = Organization.objects.get(acronym="IARC")
    with pytest.raises(RuntimeError), transaction.atomic():
        iarc.name = "Quokka Agency"
        iarc.save()
        assert found("Quokka") == ["Quokka Agency"]  # inside: the entry moved with the record
        raise RuntimeError("rolled back")
    assert found("Quokka") == []
    assert found("IARC")[0] == "International Agency for Research on Cancer"

    with django_capture_on_commit_callbacks(execute=True):
        iarc.name = "Quokka Agency"
        iarc.save()
    assert found("Quokka")[0] == "Quokka Agency"
    heidelberg = Place.objects.get(name_en="Heidelberg")
    with django_capture_on_commit_callbacks(execute=True):
        heidelberg.name_en = "Kangaroo Town"
        heidelberg.save()
    # the rename reached, through the task queue, the organizations of that place
    assert "German Cancer Research Center" in found("Kangaroo")

    iarc_entries = SearchEntry.objects.filter(object_id=iarc.pk, kind="organization")
    topic = Topic.objects.get(slug="nanomedicine")
    with django_capture_on_commit_callbacks(execute=True):
        topic.name_en = "Wombatology"
        topic.save()
    assert "Nanomedicine and oncology with Catalonia’s BioNanoMed and Oncocat clusters" in found(
        "Wombatology"
    )
    assert iarc_entries.exists()
    unused = Organization.objects.create(name="Short-lived", kind="other", visibility="public")
    assert found("Short-lived") == ["Short-lived"]
    unused.delete()
    assert found("Short-lived") == []


def test_reindex_rebuilds_what_was_lost(demo):
    from django.core.management import call_command

    expected = SearchEntry.objects.count()
    SearchEntry.objects.filter(kind="person").delete()
    assert titles(search("Brambilla", ANONYMOUS), "person") == []
    call_command("reindex", "--no-progress")
    assert SearchEntry.objects.count() == expected
    assert titles(search("Brambilla", ANONYMOUS))[0] == "Pr. C. Brambilla"


def test_without_the_semantic_extra_search_is_lexical_and_says_so(demo, monkeypatch):
    from passerelle.search import semantic

    monkeypatch.setattr(semantic, "available", lambda: False)
    results = search("IARC", ANONYMOUS, mode="hybrid")
    assert results.mode == "lexical"
    assert any("lexical" in note for note in results.notes)


def test_the_back_office_search_shows_what_the_user_may_read(secret, client):
    ensure_roles()
    viewer = get_user_model().objects.create_user("viewer", is_staff=True)
    viewer.groups.add(Group.objects.get(name="viewer"))
    client.force_login(viewer)
    page = client.get("/en/admin/search/searchentry/", {"q": "Zanzibar"})
    assert page.status_code == 200 and "Oncology Secretariat" not in page.content.decode()
    secret.readers.create(group=Group.objects.get(name="viewer"))
    page = client.get("/en/admin/search/searchentry/", {"q": "Zanzibar"})
    assert f"/en/admin/registry/organization/{secret.pk}/change/" in page.content.decode()


def _plain_entries(*rows: tuple[str, str, str]) -> list[SearchEntry]:
    """Public organization entries (names, words, country) written straight to the index."""
    import uuid

    from passerelle.search.models import SearchTerm, entry_type

    organization = entry_type(Organization)
    entries = SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                content_type=organization,
                object_id=10_000 + n,
                kind="organization",
                uid=uuid.uuid4(),
                title=f"{names or words} {n}",
                names=names,
                words=words,
                country=country,
                visibility="public",
            )
            for n, (names, words, country) in enumerate(rows)
        ],
        batch_size=500,
    )
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=t) for names, words, _c in rows for t in f"{names} {words}".split()],
        ignore_conflicts=True,
    )
    return entries


def test_a_filter_finds_matches_the_best_unfiltered_ones_would_hide(db):
    # 1,200 Italian organizations named for the word outrank the one Spanish mention of it
    _plain_entries(*[("oncology", "", "IT")] * 1200, ("", "oncology", "ES"))
    assert search("oncology", ANONYMOUS).capped
    spanish = search("oncology", ANONYMOUS, Filters(country="ES"))
    assert [h.entry.country for h in spanish.hits] == ["ES"]


def test_a_word_thousands_hold_is_left_out_when_not_every_word_matches(db, monkeypatch):
    from django.db import connection

    from passerelle.search import backends

    _plain_entries(*[("everyday", "", "IT")] * 40, ("rarity", "", "ES"))
    with connection.cursor() as cursor:  # the planner's word frequencies (autovacuum's job)
        cursor.execute("ANALYZE search_searchentry")
    monkeypatch.setattr(backends, "COMMON", 30)
    results = search("rarity everyday", ANONYMOUS, mode="lexical")
    assert titles(results) == ["rarity 40"]
    assert any("some of them" in note for note in results.notes)
    monkeypatch.setattr(backends, "COMMON", 1000)
    assert len(search("rarity everyday", ANONYMOUS, mode="lexical").hits) == 20


def test_the_full_text_index_is_kept_in_step_after_every_migration(db):
    """SQLite remakes a table it alters, and its triggers go with the old one: each migration
    of the entries' table must put them back (search.backends.restore_schema)."""
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL alters tables in place")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        triggers = [name for (name,) in cursor.fetchall()]
    assert {"search_fts_delete", "search_fts_insert", "search_fts_update"} <= set(triggers)


def test_an_actors_entry_counts_its_activities_and_follows_a_new_one(
    demo, django_capture_on_commit_callbacks
):
    from passerelle.activities.models import Activity, Participation

    clara = Organization.objects.get(acronym="CLARA")
    taken = Participation.objects.filter(organization=clara).values("activity").distinct()

    def counted() -> int:
        return SearchEntry.objects.get(kind="organization", object_id=clara.pk).activities

    indexing.reindex([Organization])
    assert counted() == taken.count() > 3
    visit = Activity.objects.create(kind=Activity.objects.first().kind, title_en="Short visit")
    with django_capture_on_commit_callbacks(execute=True):  # the queue's work, at commit
        Participation.objects.create(activity=visit, organization=clara, role="host")
    assert counted() == taken.count()
