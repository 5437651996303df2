"""The demo knows what its network works on: themes in the field's vocabulary, kinds a
specialist accepts, people's expertise, and the seed sentence each record comes from."""

from __future__ import annotations

import re

from passerelle.demo.document import demo_document
from passerelle.demo.knowledge import NETWORKS
from passerelle.demo.network import SEED, SEED_PAGE
from passerelle.registry.models import Organization, Topic

#: What a specialist expects of the demo's organizations: the kind, and a theme they work on.
EXPECTED = {
    "European Lymphoma Institute": ("network", "lymphoma"),
    "World Sarcoma Network": ("network", "sarcoma"),
    "International Agency for Research on Cancer": ("international", "cancer-epidemiology"),
    "Deutsches Krebsforschungszentrum": ("research_institute", "virally-induced-cancers"),
    "Institute for Bioengineering of Catalonia": ("research_institute", "nanomedicine"),
    "Institut National du Cancer": ("agency", "oncology"),
    "BioNanoMed": ("cluster", "nanomedicine"),
    "Cancer research cluster in Milan": ("cluster", "lung-cancer"),
    "Cancer research cluster in Lausanne": ("cluster", "colon-cancer"),
}
#: Each program's, project's and network's themes, as a specialist names them.
THEMES = {
    "Nano2Life": {"nanobiotechnology"},
    "CONTICANET": {"sarcoma", "soft-tissue-sarcoma"},
    "European Cancer Observatory": {"cancer-epidemiology", "cancer-registries"},
    "CLARA in the European Lymphoma Institute": {"lymphoma"},
    "CLARA in the World Sarcoma Network": {"sarcoma"},
}
EXPERTISE = {
    "Brambilla": {"lung-cancer", "biomarkers"},
    "Mehlen": {"dependence-receptors", "apoptosis"},
    "Boisseau": {"nanobiotechnology", "nanomedicine"},
    "Blay": {"sarcoma"},
}


def _normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_every_record_cites_a_sentence_the_seed_page_has():
    page = _normalize(SEED_PAGE.read_text(encoding="utf-8"))
    document = demo_document()
    for section in ("topics", "organizations", "people", "activities"):
        for record in document[section]:
            quotations = [c["quotation"] for c in record["sources"] if c["source"] == SEED]
            assert quotations, (section, record["id"])
            for quotation in quotations:
                assert _normalize(quotation) in page, quotation


def test_vocabulary_ids_have_their_vocabularys_shape():
    for topic in demo_document()["topics"]:
        assert re.fullmatch(r"D\d{6}", topic.get("mesh_id", "D000000")), topic
        assert re.fullmatch(r"C\d+", topic.get("ncit_id", "C0")), topic


def test_kinds_themes_and_expertise_a_specialist_accepts(demo):
    organizations = {o.name: o for o in Organization.objects.prefetch_related("topics")}
    for name, (kind, theme) in EXPECTED.items():
        assert organizations[name].kind == kind, name
        assert theme in {t.slug for t in organizations[name].topics.all()}, name
    assert all(o.topics.exists() for o in organizations.values())
    assert {o.name for o in organizations.values() if o.kind == "network"} == {
        name for _key, name, *_rest in NETWORKS
    }
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Person

    for activity in Activity.objects.filter(kind__in=["program", "project", "membership"]):
        slugs = {t.slug for t in activity.topics.all()}
        assert slugs, activity.title_en
        assert THEMES.get(activity.title_en, set()) <= slugs, activity.title_en
    for person in Person.objects.all():
        assert EXPERTISE[person.family_name] <= {t.slug for t in person.topics.all()}
    # the field's vocabulary where it has the concept
    assert Topic.objects.get(slug="lymphoma").parent.slug == "hematological-malignancies"
    assert Topic.objects.get(slug="soft-tissue-sarcoma").parent.slug == "sarcoma"
    assert Topic.objects.get(slug="sarcoma").ncit_id == "C9118"
    assert Topic.objects.exclude(mesh_id="").count() >= 15
