"""What a specialist of the field knows about the demo network's records.

The seed page names programs, networks and people; it rarely says what they work
on. A specialist reading it knows: CONTICANET is the European network of
excellence on connective tissue cancers (sarcomas), Nano2Life the one on
nanobiotechnology, the European Cancer Observatory is IARC's work on cancer
incidence and registries, Pr. Brambilla works on lung cancer, Dr. Mehlen on
dependence receptors and the cell death they trigger. This module writes that
knowledge into the demo document as tables (topics of each record, people's
expertise, the networks the cluster belongs to), so that matchmaking has
something to reason with, and leaves the records of ``network.py`` as they are.

Vocabulary ids (MeSH descriptors, NCIt concepts) are given only where the
concept is exactly the topic and the id is certain; a topic without an id is
better than a wrong one. Every new record cites the seed sentence it comes from.
"""

from __future__ import annotations

import copy
from typing import Any

from .network import (
    FLAGSHIPS,
    GERMANY,
    INTRO_CLARA,
    LAUSANNE,
    MILAN,
    OBSERVATORY,
    PROJECTS,
    SCIENTIFIC_DAYS_AIM,
    SENEGAL,
    SYMPOSIUM,
    _topic,
    says,
    take,
    uid,
)

#: Topics the page implies and a specialist names: (key, English, French, kind, MeSH, NCIt,
#: broader topic, the sentence of the record it describes).
NEW_TOPICS: list[tuple[str, str, str, str, str, str, str, str]] = [
    (
        "hematological-malignancies",
        "Hematological malignancies",
        "Hémopathies malignes",
        "cancer_type",
        "D019337",
        "",
        "",
        PROJECTS,
    ),
    (
        "soft-tissue-sarcoma",
        "Soft tissue sarcoma",
        "Sarcome des tissus mous",
        "cancer_type",
        "",
        "C9306",
        "sarcoma",
        FLAGSHIPS,
    ),
    ("apoptosis", "Apoptosis", "Apoptose", "research_theme", "D017209", "", "", LAUSANNE),
    (
        "nanobiotechnology",
        "Nanobiotechnology",
        "Nanobiotechnologies",
        "research_theme",
        "",
        "",
        "nanotechnology",
        FLAGSHIPS,
    ),
    (
        "drug-delivery",
        "Drug delivery systems",
        "Vectorisation des médicaments",
        "research_theme",
        "D016503",
        "",
        "nanomedicine",
        SCIENTIFIC_DAYS_AIM,
    ),
    (
        "cancer-epidemiology",
        "Cancer epidemiology",
        "Épidémiologie des cancers",
        "research_theme",
        "",
        "",
        "",
        OBSERVATORY,
    ),
    (
        "cancer-registries",
        "Cancer registries",
        "Registres des cancers",
        "research_theme",
        "D012042",
        "",
        "cancer-epidemiology",
        OBSERVATORY,
    ),
    (
        "cancer-prevention",
        "Cancer prevention",
        "Prévention des cancers",
        "research_theme",
        "",
        "",
        "",
        GERMANY,
    ),
    (
        "cancer-biology",
        "Cancer biology",
        "Biologie du cancer",
        "research_theme",
        "",
        "",
        "",
        GERMANY,
    ),
    (
        "clinical-trials",
        "Clinical trials",
        "Essais cliniques",
        "research_theme",
        "D002986",
        "",
        "",
        PROJECTS,
    ),
    (
        "early-detection",
        "Early detection of cancer",
        "Dépistage précoce des cancers",
        "research_theme",
        "D055088",
        "",
        "",
        MILAN,
    ),
    ("bioengineering", "Bioengineering", "Bio-ingénierie", "research_theme", "", "", "", SYMPOSIUM),
    (
        "international-cooperation",
        "International cooperation",
        "Coopération internationale",
        "research_theme",
        "D007391",
        "",
        "",
        INTRO_CLARA,
    ),
    (
        "global-health",
        "Global health",
        "Santé mondiale",
        "research_theme",
        "D014943",
        "",
        "",
        SENEGAL,
    ),
]

#: What the page's own topics gain: ids and broader topics a specialist is sure of.
TOPIC_FIELDS: dict[str, dict[str, str]] = {
    "lymphoma": {"ncit_id": "C3208", "parent": "hematological-malignancies"},
    "sarcoma": {"ncit_id": "C9118"},
    "lung-cancer": {"ncit_id": "C4878"},
    "oncology": {"mesh_id": "D008495"},
    "virally-induced-cancers": {"mesh_id": "D014412"},
}

#: The networks the cluster belongs to (the page: "international projects such as the
#: European Lymphoma Institute (ELI) and the World Sarcoma Network (WSN)"), as organizations
#: of kind network: (key, name, French name, acronym, topics).
NETWORKS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    (
        "eli",
        "European Lymphoma Institute",
        "Institut européen du lymphome",
        "ELI",
        ("lymphoma", "hematological-malignancies", "clinical-trials"),
    ),
    (
        "wsn",
        "World Sarcoma Network",
        "Réseau mondial du sarcome",
        "WSN",
        ("sarcoma", "soft-tissue-sarcoma", "clinical-trials"),
    ),
]

#: Each organization's themes.
ORGANIZATION_TOPICS: dict[str, tuple[str, ...]] = {
    "clara": ("oncology", "international-cooperation"),
    "region-ara": ("international-cooperation",),
    "inca": ("oncology", "clinical-trials", "cancer-prevention"),
    "milan-cluster": ("lung-cancer", "biomarkers"),
    "lausanne-cluster": ("colon-cancer", "dependence-receptors"),
    "european-commission": ("international-cooperation",),
    "iarc": (
        "cancer-epidemiology",
        "cancer-registries",
        "cancer-prevention",
        "virally-induced-cancers",
        "global-health",
    ),
    "weizmann": ("cancer-biology",),
    "dkfz": ("virally-induced-cancers", "infectiology", "cancer-biology", "cancer-prevention"),
    "grand-sud-ouest": ("oncology", "nanotechnology"),
    "ibec": ("bioengineering", "nanomedicine", "nanotechnology"),
    "bionanomed": ("nanomedicine", "nanotechnology", "drug-delivery"),
    "oncocat": ("oncology",),
    "crcl": ("cancer-biology", "cancer-stem-cells", "dependence-receptors", "oncology"),
    "shanghai-cancer-institute": ("cancer-biology", "cancer-stem-cells"),
}

#: People's expertise.
EXPERTISE: dict[str, tuple[str, ...]] = {
    "brambilla": ("lung-cancer", "biomarkers", "early-detection"),
    "mehlen": ("dependence-receptors", "apoptosis", "colon-cancer", "cancer-biology"),
    "boisseau": ("nanobiotechnology", "nanotechnology", "nanomedicine"),
    "blay": ("sarcoma", "soft-tissue-sarcoma", "clinical-trials", "oncology"),
}

#: Themes the programs, projects, memberships and other activities gain (added to theirs).
ACTIVITY_TOPICS: dict[str, tuple[str, ...]] = {
    "nano2life": ("nanobiotechnology", "nanotechnology", "nanomedicine"),
    "conticanet": ("sarcoma", "soft-tissue-sarcoma", "clinical-trials"),
    "european-cancer-observatory": ("cancer-epidemiology", "cancer-registries"),
    "china-program": ("international-cooperation", "cancer-stem-cells"),
    "weizmann-agreement": ("international-cooperation",),
    "crcl-sci-agreement": ("international-cooperation",),
    "iarc-dkfz": ("cancer-prevention",),
    "nanotech-symposium": ("nanomedicine",),
    "senegal-delegation": ("global-health",),
    "scientific-days": ("oncology",),
    "scientific-days-7": ("oncology",),
    "franco-chinese-seminars": ("international-cooperation",),
    "eli": ("lymphoma", "hematological-malignancies"),
    "wsn": ("sarcoma", "soft-tissue-sarcoma"),
}

#: The cluster's memberships: the page's "international projects" ELI and WSN are
#: networks it takes part in, so their activities are memberships, the cluster a member,
#: the network the host.
MEMBERSHIPS: dict[str, dict[str, str]] = {
    "eli": {
        "title_en": "CLARA in the European Lymphoma Institute",
        "title_fr": "Le CLARA au sein de l’Institut européen du lymphome",
    },
    "wsn": {
        "title_en": "CLARA in the World Sarcoma Network",
        "title_fr": "Le CLARA au sein du Réseau mondial du sarcome",
    },
}


def _network(key: str, name: str, name_fr: str, acronym: str, topics: tuple[str, ...]) -> dict:
    return {
        "id": uid("organization", key),
        "name": name,
        "name_fr": name_fr,
        "acronym": acronym,
        "kind": "network",
        "status": "active",
        "visibility": "public",
        "topics": [uid("topic", t) for t in topics],
        "sources": says(PROJECTS),
    }


def _with_topics(record: dict[str, Any], keys: tuple[str, ...]) -> None:
    topics = record.setdefault("topics", [])
    for key in keys:
        if uid("topic", key) not in topics:
            topics.append(uid("topic", key))


def enrich(document: dict[str, Any]) -> dict[str, Any]:
    """The demo document with the specialist's topics, expertise and networks written in
    (a copy: the tables of ``network.py`` stay as they are)."""
    document = copy.deepcopy(document)
    known = {t["slug"] for t in document["topics"]}
    for key, name_en, name_fr, kind, mesh, ncit, parent, sentence in NEW_TOPICS:
        if key in known:
            continue
        topic = _topic(
            key, name_en, name_fr, kind, mesh=mesh, parent=parent, sources=says(sentence)
        )
        if ncit:
            topic["ncit_id"] = ncit
        document["topics"].append(topic)
    for topic in document["topics"]:
        for name, value in TOPIC_FIELDS.get(topic["slug"], {}).items():
            topic.setdefault(name, uid("topic", value) if name == "parent" else value)

    organizations = {o["id"]: o for o in document["organizations"]}
    for network in NETWORKS:
        organizations.setdefault(uid("organization", network[0]), _network(*network))
    document["organizations"] = list(organizations.values())
    for key, topics in ORGANIZATION_TOPICS.items():
        _with_topics(organizations[uid("organization", key)], topics)
    people = {p["id"]: p for p in document["people"]}
    for key, topics in EXPERTISE.items():
        _with_topics(people[uid("person", key)], topics)

    activities = {a["id"]: a for a in document["activities"]}
    for key, topics in ACTIVITY_TOPICS.items():
        _with_topics(activities[uid("activity", key)], topics)
    for key, titles in MEMBERSHIPS.items():
        membership = activities[uid("activity", key)]
        membership.update(kind="membership", category="network_membership", **titles)
        membership.pop("acronym", None)  # the network's, not the membership's
        membership["participations"] = [take("clara", "member"), take(key, "host")]
    return document
