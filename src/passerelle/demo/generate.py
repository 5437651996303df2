"""Scale data sets: a realistic network on top of the organizations ROR gave us.

Benchmarks need data shaped like the real thing: a few hubs (the cluster
itself, the big universities) take part in thousands of activities, most
organizations in a handful; most activities have two to five participants,
networks have dozens. Choices follow Zipf and Pareto laws from a seeded random
generator, so the same scale and seed give the same network.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from passerelle.activities.models import Activity, ActivityLink, Participation
from passerelle.activities.vocabulary import (
    CATEGORIES_BY_KIND,
    ORGANIZATION_ONLY_ROLES,
    PERSON_ONLY_ROLES,
    ROLES_BY_KIND,
    AgreementStatus,
    Direction,
    ExchangeCategory,
    Kind,
    Role,
)
from passerelle.core.models import Visibility
from passerelle.ingest.bulk import after_bulk_load
from passerelle.registry.models import Affiliation, Organization, Person, Topic

BATCH = 5000


@dataclass(frozen=True)
class Scale:
    activities: int
    people: int


SCALES = {
    "small": Scale(activities=1_000, people=500),
    "medium": Scale(activities=100_000, people=20_000),
    "large": Scale(activities=250_000, people=50_000),  # about 1M participations
}

KIND_WEIGHTS = {
    Kind.PROJECT: 30,
    Kind.EVENT: 30,
    Kind.EXCHANGE: 14,
    Kind.AGREEMENT: 10,
    Kind.DELEGATION: 7,
    Kind.PROGRAM: 6,
    Kind.MEMBERSHIP: 3,
}
TOPICS = [
    ("lung-cancer", "Lung cancer", "Cancer du poumon", "cancer_type"),
    ("breast-cancer", "Breast cancer", "Cancer du sein", "cancer_type"),
    ("colon-cancer", "Colon cancer", "Cancer du côlon", "cancer_type"),
    ("prostate-cancer", "Prostate cancer", "Cancer de la prostate", "cancer_type"),
    ("lymphoma", "Lymphoma", "Lymphome", "cancer_type"),
    ("leukemia", "Leukemia", "Leucémie", "cancer_type"),
    ("sarcoma", "Sarcoma", "Sarcome", "cancer_type"),
    ("melanoma", "Melanoma", "Mélanome", "cancer_type"),
    ("glioblastoma", "Glioblastoma", "Glioblastome", "cancer_type"),
    ("pancreatic-cancer", "Pancreatic cancer", "Cancer du pancréas", "cancer_type"),
    ("ovarian-cancer", "Ovarian cancer", "Cancer de l'ovaire", "cancer_type"),
    ("pediatric-cancers", "Pediatric cancers", "Cancers pédiatriques", "cancer_type"),
    ("virally-induced-cancers", "Virally induced cancers", "Cancers viro-induits", "cancer_type"),
    ("biomarkers", "Biomarkers", "Biomarqueurs", "research_theme"),
    ("immunotherapy", "Immunotherapy", "Immunothérapie", "research_theme"),
    ("nanomedicine", "Nanomedicine", "Nanomédecine", "research_theme"),
    ("cancer-stem-cells", "Cancer stem cells", "Cellules souches cancéreuses", "research_theme"),
    ("dependence-receptors", "Dependence receptors", "Récepteurs à dépendance", "research_theme"),
    ("epidemiology", "Epidemiology", "Épidémiologie", "research_theme"),
    ("radiotherapy", "Radiotherapy", "Radiothérapie", "research_theme"),
    ("genomics", "Cancer genomics", "Génomique du cancer", "research_theme"),
    ("epigenetics", "Epigenetics", "Épigénétique", "research_theme"),
    ("medical-imaging", "Medical imaging", "Imagerie médicale", "research_theme"),
    ("clinical-trials", "Clinical trials", "Essais cliniques", "research_theme"),
    ("prevention", "Prevention and screening", "Prévention et dépistage", "research_theme"),
    (
        "tumor-microenvironment",
        "Tumor microenvironment",
        "Microenvironnement tumoral",
        "research_theme",
    ),
    (
        "artificial-intelligence",
        "Artificial intelligence in oncology",
        "Intelligence artificielle en oncologie",
        "research_theme",
    ),
    (
        "health-systems",
        "Organization of healthcare systems",
        "Organisation des systèmes de santé",
        "research_theme",
    ),
    ("supportive-care", "Supportive care", "Soins de support", "research_theme"),
    ("drug-resistance", "Drug resistance", "Résistance aux traitements", "research_theme"),
]
LOCALES = ["fr_FR", "en_GB", "en_US", "de_DE", "it_IT", "es_ES", "zh_CN", "he_IL", "ja_JP"]


def zipf_picker(count: int, rng: random.Random, exponent: float = 1.0) -> Callable[[], int]:
    """Indexes 0..count-1, the first ones far more often than the last (Zipf's law)."""
    cumulative = list(itertools.accumulate(1 / (rank**exponent) for rank in range(1, count + 1)))
    total = cumulative[-1]
    return lambda: bisect.bisect_left(cumulative, rng.random() * total)


def _partial_date(rng: random.Random, year: int) -> str:
    roll = rng.random()
    if roll < 0.4:
        return f"{year:04d}"
    month = rng.randint(1, 12)
    if roll < 0.7:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{rng.randint(1, 28):02d}"


def _visibility(rng: random.Random) -> str:
    roll = rng.random()
    return (
        Visibility.PUBLIC
        if roll < 0.9
        else (Visibility.INTERNAL if roll < 0.98 else Visibility.CONFIDENTIAL)
    )


@dataclass
class GenerationSummary:
    people: int = 0
    activities: int = 0
    participations: int = 0

    def __str__(self) -> str:
        return (
            f"{self.people} people, {self.activities} activities, "
            f"{self.participations} participations"
        )


def generate(scale: str, *, seed: int = 1, progress: Callable | None = None) -> GenerationSummary:
    """Add a generated network of the given scale; see the module docstring."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}: use {', '.join(SCALES)}")
    size = SCALES[scale]
    rng = random.Random(seed)
    rows = list(
        Organization.objects.order_by("pk").values_list(
            "pk", "place_id", "in_region", "kind", "place__country"
        )
    )
    organizations = [(pk, place) for pk, place, *_ in rows]
    if len(organizations) < 50:
        raise ValueError(
            f"only {len(organizations)} organizations: import ROR first "
            "(passerelle import-ror ../shared/data/ror/ror-records-51k.jsonl.gz)"
        )
    # Hubs are the cluster's own members, then research organizations, the French first;
    # within each group the seed decides.
    rng.shuffle(rows)
    research = {"cluster", "research_institute", "cancer_centre", "hospital", "university"}
    rows.sort(key=lambda r: (not r[2], r[3] not in research, r[4] != "FR"))
    organizations = [(pk, place) for pk, place, *_ in rows]
    summary = GenerationSummary()
    with transaction.atomic():
        topics = _topics()
        people = _people(rng, size.people, organizations, topics, seed)
        summary.people = len(people)
        _activities(rng, size.activities, organizations, people, topics, summary, progress)
    after_bulk_load(
        Person,
        Affiliation,
        Activity,
        Participation,
        ActivityLink,
        Activity.topics.through,
        Activity.places.through,
        Person.topics.through,
    )
    return summary


def _topics() -> list[int]:
    existing = dict(Topic.objects.values_list("slug", "pk"))
    Topic.objects.bulk_create(
        [
            Topic(slug=slug, name_en=en, name_fr=fr, kind=kind, visibility=Visibility.PUBLIC)
            for slug, en, fr, kind in TOPICS
            if slug not in existing
        ]
    )
    return list(Topic.objects.filter(slug__in=[t[0] for t in TOPICS]).values_list("pk", flat=True))


def _people(rng, count, organizations, topics, seed) -> list[int]:
    fakers = [Faker(locale) for locale in LOCALES]
    for offset, faker in enumerate(fakers):
        faker.seed_instance(seed * 100 + offset)
    pick_org = zipf_picker(len(organizations), rng)
    people, homes = [], []
    for _ in range(count):
        faker = fakers[rng.randrange(len(fakers))]
        org_id, place_id = organizations[pick_org()]
        people.append(
            Person(
                given_name=faker.first_name()[:100],
                family_name=faker.last_name()[:100],
                title=rng.choice(["", "", "dr", "pr"]),
                place_id=place_id,
                visibility=_visibility(rng),
            )
        )
        homes.append(org_id)
    Person.objects.bulk_create(people, batch_size=BATCH)
    Affiliation.objects.bulk_create(
        [
            Affiliation(
                person_id=person.pk,
                organization_id=home,
                start=str(rng.randint(1995, 2024)),
                position=rng.choice(
                    ["", "researcher", "professor", "physician", "PhD student", "engineer"]
                ),
            )
            for person, home in zip(people, homes, strict=True)
        ],
        batch_size=BATCH,
    )
    through = Person.topics.through
    through.objects.bulk_create(
        [
            through(person_id=person.pk, topic_id=topic)
            for person in people
            for topic in rng.sample(topics, rng.randint(1, 3))
        ],
        batch_size=BATCH,
    )
    return [person.pk for person in people]


def _activities(rng, count, organizations, people, topics, summary, progress) -> None:
    kinds = list(KIND_WEIGHTS)
    weights = list(KIND_WEIGHTS.values())
    pick_org = zipf_picker(len(organizations), rng)
    pick_person = zipf_picker(len(people), rng)
    pick_topic = zipf_picker(len(topics), rng, exponent=0.8)
    topic_names = dict(Topic.objects.filter(pk__in=topics).values_list("pk", "name_en"))
    batches = range(0, count, BATCH)
    for start in progress(batches) if progress else batches:
        activities, plans = [], []
        for number in range(start, min(start + BATCH, count)):
            kind = rng.choices(kinds, weights)[0]
            activity_topics = list({topics[pick_topic()] for _ in range(rng.randint(1, 3))})
            activities.append(_activity(rng, kind, number, topic_names[activity_topics[0]]))
            size = 2 if kind == Kind.AGREEMENT else min(60, int(rng.paretovariate(1.4)) + 1)
            plans.append((activity_topics, size))
        Activity.objects.bulk_create(activities, batch_size=BATCH)
        participations, topic_links, places = [], [], []
        for activity, (activity_topics, size) in zip(activities, plans, strict=True):
            topic_links += [(activity.pk, t) for t in activity_topics]
            seen, placed, attempts = set(), False, 0
            while len(seen) < size and attempts < size * 5:  # distinct participants
                attempts += 1
                slot = len(seen)
                person = activity.kind != Kind.AGREEMENT and rng.random() < 0.15
                role = _role(rng, activity.kind, slot, person=person)
                if person:
                    actor = ("person", people[pick_person()])
                else:
                    org_id, place_id = organizations[pick_org()]
                    actor = ("organization", org_id)
                if (actor, role) in seen:
                    continue
                seen.add((actor, role))
                if actor[0] == "organization" and place_id and not placed:
                    places.append((activity.pk, place_id))  # where its first organization is
                    placed = True
                participations.append(
                    Participation(
                        activity_id=activity.pk,
                        role=role,
                        organization_id=actor[1] if actor[0] == "organization" else None,
                        person_id=actor[1] if actor[0] == "person" else None,
                        start=activity.start,
                        visibility=Visibility.PUBLIC,
                    )
                )
        Participation.objects.bulk_create(participations, batch_size=BATCH)
        Activity.topics.through.objects.bulk_create(
            [Activity.topics.through(activity_id=a, topic_id=t) for a, t in topic_links],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        Activity.places.through.objects.bulk_create(
            [Activity.places.through(activity_id=a, place_id=p) for a, p in places],
            batch_size=BATCH,
            ignore_conflicts=True,
        )
        _link_events(rng, activities)
        summary.activities += len(activities)
        summary.participations += len(participations)


def _activity(rng: random.Random, kind: str, number: int, topic: str) -> Activity:
    category = rng.choice(CATEGORIES_BY_KIND[kind])
    year = rng.randint(2005, 2026)
    start = _partial_date(rng, year)
    label = category.replace("_", " ").capitalize()
    activity = Activity(
        kind=kind,
        category=category,
        title_en=f"{label} on {topic.lower()} #{number}",
        start=start,
        visibility=_visibility(rng),
    )
    if kind in (Kind.PROGRAM, Kind.PROJECT):
        activity.end = str(year + rng.randint(1, 5))
        if rng.random() < 0.5:
            activity.funding_amount = rng.randrange(10, 5000) * 1000
            activity.funding_currency = "EUR"
    elif kind == Kind.AGREEMENT:
        activity.status = rng.choice([s.value for s in AgreementStatus])
        activity.signed_on = start
        activity.end = str(year + rng.randint(2, 6))
    elif kind == Kind.EVENT:
        activity.end = start
        activity.edition = rng.randint(1, 15) if rng.random() < 0.3 else None
    elif kind == Kind.DELEGATION:
        activity.direction = rng.choice([d.value for d in Direction])
        activity.delegation_country = rng.choice(
            ["CN", "IL", "SN", "DE", "IT", "ES", "CH", "JP", "US", "CA", "BR", "IN"]
        )
    elif kind == Kind.EXCHANGE:
        activity.exchange_category = rng.choice([c.value for c in ExchangeCategory])
        activity.headcount = rng.randint(1, 12) if rng.random() < 0.5 else None
        activity.end = str(min(year + 1, 2026))
    return activity


def _role(rng: random.Random, kind: str, slot: int, *, person: bool) -> str:
    if kind == Kind.AGREEMENT:
        return Role.PARTY
    if slot == 0 and kind in (Kind.PROGRAM, Kind.PROJECT):
        return Role.COORDINATOR
    allowed = [
        r
        for r in ROLES_BY_KIND[kind]
        if (r not in ORGANIZATION_ONLY_ROLES if person else r not in PERSON_ONLY_ROLES)
    ]
    return rng.choice(allowed)


def _link_events(rng: random.Random, activities: list[Activity]) -> None:
    """Some events belong to a series, some projects to a program: links as in real data."""
    series = [a for a in activities if a.category == "event_series"]
    programs = [a for a in activities if a.kind == Kind.PROGRAM]
    links = []
    for activity in activities:
        if (
            activity.kind == Kind.EVENT
            and series
            and activity.category != "event_series"
            and rng.random() < 0.3
        ):
            links.append(
                ActivityLink(subject=activity, relation="part_of", object=rng.choice(series))
            )
        elif activity.kind in (Kind.PROJECT, Kind.EXCHANGE) and programs and rng.random() < 0.2:
            links.append(
                ActivityLink(subject=activity, relation="part_of", object=rng.choice(programs))
            )
    ActivityLink.objects.bulk_create(links, batch_size=BATCH)
