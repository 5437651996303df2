"""The demo network: everything the cluster's "International relations" page states.

Each record cites the page (``seed/international-relations.txt``, shipped beside
this module) with the sentence it comes from, and, for organizations that the
Research Organization Registry knows, the ROR record its identifiers, names and
city come from. Nothing is added that neither states: no dates, people or places
of our own. Where the page is vague (which cluster in Milan), the record says
only what the page says.

The network is written as a Passerelle interchange document, so loading the
demo goes through the same validated import as any other document.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

SEED_PAGE = Path(__file__).with_name("international-relations.txt")
_NAMESPACE = uuid.UUID("6f1d7c3e-5b8a-4f0e-9a57-2c1e7b9d4a10")


def uid(kind: str, key: str) -> str:
    """The demo's stable ids: the same on every machine, so reloading updates in place."""
    return str(uuid.uuid5(_NAMESPACE, f"{kind}/{key}"))


SEED = uid("source", "seed")
ROR = uid("source", "ror")


def says(*sentences: str) -> list[dict[str, str]]:
    """Cite the seed page, one citation a sentence."""
    return [{"source": SEED, "quotation": sentence} for sentence in sentences]


def ror_record(ror_id: str) -> dict[str, str]:
    return {"source": ROR, "locator": f"https://ror.org/{ror_id}"}


def ids(**by_scheme: str | list[str]) -> list[dict[str, str]]:
    result = []
    for scheme, values in by_scheme.items():
        for value in [values] if isinstance(values, str) else values:
            result.append({"scheme": scheme, "value": value})
    return result


def names(*entries: tuple[str, str, str]) -> list[dict[str, str]]:
    """Other names as (value, kind, language)."""
    return [
        {k: v for k, v in zip(("value", "kind", "language"), e, strict=True) if v} for e in entries
    ]


# -- sentences of the page, verbatim ----------------------------------------------------------

INTRO_REGION = (
    "Today, the Auvergne-Rhône-Alpes region offers a dense network of experts and "
    "organizations in the cancer research field."
)
INTRO_CLARA = (
    "Since its creation, CLARA has been working to position the Auvergne-Rhône-Alpes "
    "region as a world reference in the fight against cancer."
)
PROJECTS = (
    "It has participated in a host of international projects such as the European "
    "Lymphoma Institute (ELI) and the World Sarcoma Network (WSN), and has initiated "
    "collaborative projects with China."
)
CLUSTERS = (
    "Two collaborative projects have been set up with European cancer research clusters, "
    "supported by INCa."
)
MILAN = (
    "The first, with Milan, focuses on identifying biomarkers in lung cancer (coordinated by "
    "Pr. C. Brambilla in Grenoble)."
)
LAUSANNE = (
    "The second, with Lausanne, explores the role of dependence receptors in cancer of the "
    "colon (coordinated by Dr. P. Mehlen in Lyon)."
)
FLAGSHIPS = (
    "Three flagship research and organization programs are supported by the European "
    "Community: Nano2Life (coordinated by Patrick Boisseau in Grenoble) and CONTICANET "
    "(coordinated by Pr. Jean-Yves Blay in Lyon)."
)
OBSERVATORY = (
    "CLARA also supports the development of a European Cancer Observatory, coordinated "
    "by the International Agency for Research on Cancer (IARC)."
)
WEIZMANN = (
    "Signing of a partnership agreement between the Auvergne-Rhône-Alpes Region, the "
    "Weizmann Institute in Rehovot, Israel, and CLARA, in three key areas:"
)
SENEGAL = (
    "CLARA hosted a Senegalese delegation which came to study the organization of the "
    "French healthcare system and explore potential partnerships in the field of Cancer."
)
GERMANY = (
    "Teams at two international research centers – the International Agency for Research "
    "on Cancer (IARC) and Deutsches Krebsforchungszentrum (DKFZ, the German reference in "
    "cancer research) – have come together in Lyon to speed up advances in the diagnosis, "
    "treatment and prevention of virally induced cancers."
)
SYMPOSIUM = (
    "The CLARA and Grand Sud-Ouest cancer clusters and the Catalonia Bioengineering "
    "Institute (IBEC) jointly organized an international symposium on clinical "
    "applications of nanotechnology in the field of cancer."
)
SCIENTIFIC_DAYS = (
    "CLARA continued this collaborative momentum through a dedicated event during "
    "the 7th edition of its Scientific Days, with Catalonia’s BioNanoMed and "
    "Oncocat clusters."
)
SCIENTIFIC_DAYS_AIM = (
    "The event aimed to foster discussions between researchers and companies "
    "working in the fields of nanomedicine and oncology and to develop projects "
    "at the European scale."
)
CHINA = (
    "Since 2011, CLARA has been leading an ambitious collaborative program between academic "
    "teams in the Auvergne-Rhône-Alpes region and their counterparts in Shanghai."
)
CHINA_ACTIONS = (
    "As a result, several key actions have been developed: the organization of three "
    "Franco-Chinese seminars held alternately in Shanghai and Lyon, a joint research "
    "project on cancerous stem cells, PhD student and physician exchanges (for "
    "Master’s students, PhD students and residents) and the 2013 signing of a "
    "partnership agreement between the Lyon Cancer Research Center (CRCL) and the "
    "Shanghai Cancer Institute."
)


# -- records ----------------------------------------------------------------------------------


def _place(
    key: str,
    name_en: str,
    country: str,
    *,
    name_fr: str = "",
    region: str = "",
    region_fr: str = "",
    geonames: int | None = None,
    lat: float | None = None,
    lng: float | None = None,
    ror: str = "",
    sources: list | None = None,
) -> dict[str, Any]:
    record = {
        "id": uid("place", key),
        "name_en": name_en,
        "name_fr": name_fr,
        "region": region,
        "region_fr": region_fr,
        "country": country,
        "latitude": lat,
        "longitude": lng,
        "geonames_id": geonames,
        "visibility": "public",
        "sources": ([ror_record(ror)] if ror else []) + (sources or []),
    }
    return {k: v for k, v in record.items() if v not in ("", None, [])}


PLACES = [
    _place(
        "lyon",
        "Lyon",
        "FR",
        region="Auvergne-Rhône-Alpes",
        geonames=2996944,
        lat=45.74846,
        lng=4.84671,
        ror="00v452281",
    ),
    _place(
        "grenoble",
        "Grenoble",
        "FR",
        region="Auvergne-Rhône-Alpes",
        geonames=3014728,
        lat=45.17869,
        lng=5.71479,
        ror="04dbzz632",
        sources=says(MILAN),
    ),
    _place(
        "milan",
        "Milan",
        "IT",
        name_fr="Milan",
        geonames=3173435,
        lat=45.46427,
        lng=9.18951,
        ror="00wjc7c48",
        sources=says(MILAN),
    ),
    _place(
        "lausanne",
        "Lausanne",
        "CH",
        region="Vaud",
        geonames=2659994,
        lat=46.516,
        lng=6.63282,
        ror="002n09z45",
        sources=says(LAUSANNE),
    ),
    _place(
        "shanghai",
        "Shanghai",
        "CN",
        region="Shanghai",
        geonames=1796236,
        lat=31.22222,
        lng=121.45806,
        ror="02as5yg64",
        sources=says(CHINA),
    ),
    _place(
        "rehovot",
        "Rehovot",
        "IL",
        region="Central District",
        region_fr="District centre",
        geonames=293725,
        lat=31.89421,
        lng=34.81199,
        ror="0316ej306",
        sources=says(WEIZMANN),
    ),
    _place(
        "heidelberg",
        "Heidelberg",
        "DE",
        region="Baden-Wurttemberg",
        region_fr="Bade-Wurtemberg",
        geonames=2907911,
        lat=49.40768,
        lng=8.69079,
        ror="04cdgtt98",
    ),
    _place(
        "barcelona",
        "Barcelona",
        "ES",
        name_fr="Barcelone",
        region="Catalonia",
        region_fr="Catalogne",
        geonames=3128760,
        lat=41.38879,
        lng=2.15899,
        ror="056h71x09",
    ),
    _place(
        "boulogne-billancourt",
        "Boulogne-Billancourt",
        "FR",
        region="Île-de-France",
        geonames=3031137,
        lat=48.83545,
        lng=2.24128,
        ror="03m8vkq32",
    ),
    _place(
        "brussels",
        "Brussels",
        "BE",
        name_fr="Bruxelles",
        region="Brussels Capital",
        region_fr="Bruxelles-Capitale",
        geonames=2800866,
        lat=50.85045,
        lng=4.34878,
        ror="00k4n6c32",
    ),
    _place(
        "catalonia",
        "",
        "ES",
        region="Catalonia",
        region_fr="Catalogne",
        sources=says(SCIENTIFIC_DAYS),
    ),
    _place("senegal", "", "SN", sources=says(SENEGAL)),
]


def _topic(
    key: str,
    name_en: str,
    name_fr: str,
    kind: str = "research_theme",
    *,
    mesh: str = "",
    parent: str = "",
    sources: list | None = None,
) -> dict[str, Any]:
    record = {
        "id": uid("topic", key),
        "slug": key,
        "name_en": name_en,
        "name_fr": name_fr,
        "kind": kind,
        "mesh_id": mesh,
        "visibility": "public",
        "parent": uid("topic", parent) if parent else "",
        "sources": sources or [],
    }
    return {k: v for k, v in record.items() if v not in ("", None, [])}


TOPICS = [
    _topic(
        "lung-cancer",
        "Lung cancer",
        "Cancer du poumon",
        "cancer_type",
        mesh="D008175",
        sources=says(MILAN),
    ),
    _topic(
        "colon-cancer",
        "Colon cancer",
        "Cancer du côlon",
        "cancer_type",
        mesh="D003110",
        sources=says(LAUSANNE),
    ),
    _topic(
        "lymphoma", "Lymphoma", "Lymphome", "cancer_type", mesh="D008223", sources=says(PROJECTS)
    ),
    _topic("sarcoma", "Sarcoma", "Sarcome", "cancer_type", mesh="D012509", sources=says(PROJECTS)),
    _topic(
        "virally-induced-cancers",
        "Virally induced cancers",
        "Cancers viro-induits",
        "cancer_type",
        parent="infectiology",
        sources=says(GERMANY),
    ),
    _topic("biomarkers", "Biomarkers", "Biomarqueurs", mesh="D014408", sources=says(MILAN)),
    _topic(
        "dependence-receptors",
        "Dependence receptors",
        "Récepteurs à dépendance",
        sources=says(LAUSANNE),
    ),
    _topic(
        "nanotechnology",
        "Nanotechnology",
        "Nanotechnologies",
        mesh="D036103",
        sources=says(SYMPOSIUM),
    ),
    _topic(
        "nanomedicine",
        "Nanomedicine",
        "Nanomédecine",
        mesh="D050997",
        parent="nanotechnology",
        sources=says(SCIENTIFIC_DAYS_AIM),
    ),
    _topic("oncology", "Oncology", "Oncologie", sources=says(SCIENTIFIC_DAYS_AIM)),
    _topic(
        "cancer-stem-cells",
        "Cancer stem cells",
        "Cellules souches cancéreuses",
        mesh="D014411",
        sources=says(CHINA_ACTIONS),
    ),
    _topic("infectiology", "Infectiology", "Infectiologie", sources=says(GERMANY)),
    _topic(
        "health-systems",
        "Organization of healthcare systems",
        "Organisation des systèmes de santé",
        sources=says(SENEGAL),
    ),
]


def _org(
    key: str,
    name: str,
    kind: str,
    *,
    name_en: str = "",
    name_fr: str = "",
    acronym: str = "",
    place: str = "",
    in_region: bool = False,
    ror: str = "",
    identifiers: list | None = None,
    other_names: list | None = None,
    sources: list | None = None,
    **wording: str,
) -> dict[str, Any]:
    """``wording``: acronym_fr, description_en/_fr and the grammar fields, where needed."""
    cited = (sources or []) + ([ror_record(ror)] if ror else [])
    record = {
        "id": uid("organization", key),
        "name": name,
        "name_en": name_en,
        "name_fr": name_fr,
        "acronym": acronym,
        "kind": kind,
        "status": "active",
        "in_region": in_region,
        **wording,
        "visibility": "public",
        "place": uid("place", place) if place else "",
        "identifiers": (ids(ror=ror) if ror else []) + (identifiers or []),
        "other_names": other_names or [],
        "sources": cited,
    }
    return {k: v for k, v in record.items() if v not in ("", None, [], False)}


ORGANIZATIONS = [
    _org(
        "clara",
        "Cancéropôle Lyon Auvergne-Rhône-Alpes",
        "cluster",
        acronym="CLARA",
        name_en="CLARA cancer cluster",
        place="lyon",
        in_region=True,
        sources=says(INTRO_CLARA),
    ),
    _org(
        "region-ara",
        "Auvergne-Rhône-Alpes Region",
        "government",
        name_fr="Région Auvergne-Rhône-Alpes",
        place="lyon",
        in_region=True,
        ror="00kd6pz94",
        identifiers=ids(
            wikidata="Q19606559",
            fundref="501100010115",
            website="https://www.auvergnerhonealpes.fr",
        ),
        other_names=names(
            ("Regional Council of Auvergne-Rhône-Alpes", "label", "en"),
            ("Conseil régional d'Auvergne-Rhône-Alpe", "label", "fr"),
        ),
        sources=says(WEIZMANN),
    ),
    _org(
        "inca",
        "Institut National du Cancer",
        "agency",
        acronym="INCa",
        name_en="French National Cancer Institute",
        name_fr="Institut national du cancer",
        place="boulogne-billancourt",
        ror="03m8vkq32",
        identifiers=ids(
            fundref="501100006364",
            grid="grid.455095.8",
            isni="000000012189059X",
            wikidata="Q3152443",
            website="http://en.e-cancer.fr/",
        ),
        sources=says(CLUSTERS),
    ),
    _org(
        "milan-cluster",
        "Cancer research cluster in Milan",
        "cluster",
        name_fr="Cluster de recherche sur le cancer de Milan",
        place="milan",
        sources=says(CLUSTERS, MILAN),
    ),
    _org(
        "lausanne-cluster",
        "Cancer research cluster in Lausanne",
        "cluster",
        name_fr="Cluster de recherche sur le cancer de Lausanne",
        place="lausanne",
        sources=says(CLUSTERS, LAUSANNE),
    ),
    _org(
        "european-commission",
        "European Commission",
        "international",
        acronym="EC",
        acronym_fr="CE",
        name_fr="Commission européenne",
        place="brussels",
        ror="00k4n6c32",
        identifiers=ids(
            fundref="501100000780",
            grid="grid.270680.b",
            isni="0000000122904914",
            wikidata="Q8880",
            website="https://commission.europa.eu",
        ),
        other_names=names(
            ("European Community", "alias", "en"),
            ("Europese Commissie", "label", "nl"),
            ("Europäische Kommission", "label", "de"),
        ),
        sources=says(FLAGSHIPS),
    ),
    _org(
        "iarc",
        "International Agency for Research on Cancer",
        "international",
        acronym="IARC",
        acronym_fr="CIRC",
        name_fr="Centre international de recherche sur le cancer",
        place="lyon",
        in_region=True,
        ror="00v452281",
        identifiers=ids(
            fundref="100008700",
            grid="grid.17703.32",
            isni="0000000405980095",
            wikidata="Q552168",
            website="https://www.iarc.who.int",
        ),
        other_names=names(("CIRC", "acronym", "fr")),
        sources=says(OBSERVATORY, GERMANY),
    ),
    _org(
        "weizmann",
        "Weizmann Institute of Science",
        "research_institute",
        name_fr="Institut Weizmann",
        place="rehovot",
        ror="0316ej306",
        identifiers=ids(
            fundref=[
                "501100001735",
                "501100001811",
                "501100003941",
                "501100016043",
                "501100020260",
                "501100020296",
                "501100021552",
            ],
            grid="grid.13992.30",
            isni="0000000406047563",
            wikidata="Q4182",
            website="https://www.weizmann.ac.il",
        ),
        other_names=names(
            ("Weizmann Institute", "alias", "en"),
            ("Machon Weizmann LeMada", "alias", ""),
            ("מכון ויצמן למדע", "label", "he"),
            ("معهد وايزمان للعلوم", "label", "ar"),
        ),
        sources=says(WEIZMANN),
    ),
    _org(
        "dkfz",
        "Deutsches Krebsforschungszentrum",
        "research_institute",
        acronym="DKFZ",
        name_en="German Cancer Research Center",
        name_fr="Centre allemand de recherche sur le cancer",
        description_en="the German reference in cancer research",
        description_fr="la référence allemande de la recherche sur le cancer",
        place="heidelberg",
        ror="04cdgtt98",
        identifiers=ids(
            fundref=["100008658", "100018027"],
            grid="grid.7497.d",
            isni="0000000404920584",
            wikidata="Q449325",
            website="http://www.dkfz.de/en/index.html",
        ),
        other_names=names(("Deutsches Krebsforchungszentrum", "alias", "")),
        sources=says(GERMANY),
    ),
    _org(
        "grand-sud-ouest",
        "Cancéropôle Grand Sud-Ouest",
        "cluster",
        name_en="Grand Sud-Ouest cancer cluster",
        sources=says(SYMPOSIUM),
    ),
    _org(
        "ibec",
        "Institute for Bioengineering of Catalonia",
        "research_institute",
        acronym="IBEC",
        name_fr="Institut de bioingénierie de Catalogne",
        place="barcelona",
        ror="056h71x09",
        identifiers=ids(
            fundref="501100014373",
            grid="grid.424736.0",
            isni="0000000405362369",
            wikidata="Q26612557",
            website="http://www.ibecbarcelona.eu/",
        ),
        other_names=names(
            ("Catalonia Bioengineering Institute", "alias", "en"),
            ("IBEC-CERCA", "acronym", ""),
            ("L’Institut de Bioenginyeria de Catalunya", "label", "ca"),
        ),
        sources=says(SYMPOSIUM),
    ),
    _org("bionanomed", "BioNanoMed", "cluster", place="catalonia", sources=says(SCIENTIFIC_DAYS)),
    _org("oncocat", "Oncocat", "cluster", place="catalonia", sources=says(SCIENTIFIC_DAYS)),
    _org(
        "crcl",
        "Centre de Recherche en Cancérologie de Lyon",
        "research_institute",
        acronym="CRCL",
        name_en="Cancer Research Center of Lyon",
        name_fr="Centre de recherche en cancérologie de Lyon",
        place="lyon",
        in_region=True,
        ror="02mgw3155",
        identifiers=ids(
            grid="grid.462282.8",
            isni="0000000403840005",
            wikidata="Q30261416",
            website="http://www.crcl.fr/",
        ),
        other_names=names(
            ("Lyon Cancer Research Center", "alias", "en"),
            ("Cancer Center of Lyon", "alias", "en"),
            ("U1052", "alias", ""),
            ("UMR5286", "alias", ""),
        ),
        sources=says(CHINA_ACTIONS),
    ),
    _org(
        "shanghai-cancer-institute",
        "Shanghai Cancer Institute",
        "research_institute",
        name_fr="Institut du cancer de Shanghai",
        place="shanghai",
        sources=says(CHINA_ACTIONS),
    ),
]


def _person(
    key: str, family: str, given: str, title: str, place: str, sentence: str
) -> dict[str, Any]:
    record = {
        "id": uid("person", key),
        "family_name": family,
        "given_name": given,
        "title": title,
        "place": uid("place", place),
        "visibility": "public",
        "sources": says(sentence),
    }
    return {k: v for k, v in record.items() if v}


PEOPLE = [
    _person("brambilla", "Brambilla", "C.", "pr", "grenoble", MILAN),
    _person("mehlen", "Mehlen", "P.", "dr", "lyon", LAUSANNE),
    _person("boisseau", "Boisseau", "Patrick", "", "grenoble", FLAGSHIPS),
    _person("blay", "Blay", "Jean-Yves", "pr", "lyon", FLAGSHIPS),
]


def take(actor: str, role: str, *, person: bool = False, place: str = "") -> dict[str, Any]:
    """A participation of the actor with that demo key."""
    record = {
        "actor_id": uid("person" if person else "organization", actor),
        "actor_type": "person" if person else "organization",
        "role": role,
        "visibility": "public",
    }
    if place:
        record["place"] = uid("place", place)
    return record


def _activity(
    key: str,
    kind: str,
    category: str,
    title_en: str,
    title_fr: str,
    *,
    sentences: tuple[str, ...],
    participations: list | None = None,
    topics: tuple[str, ...] = (),
    places: tuple[str, ...] = (),
    part_of: str = "",
    **fields: Any,
) -> dict[str, Any]:
    record = {
        "id": uid("activity", key),
        "kind": kind,
        "category": category,
        "title_en": title_en,
        "title_fr": title_fr,
        "visibility": "public",
        **fields,
        "topics": [uid("topic", t) for t in topics],
        "places": [uid("place", p) for p in places],
        "participations": participations or [],
        "links": [{"relation": "part_of", "object": uid("activity", part_of)}] if part_of else [],
        "sources": says(*sentences),
    }
    return {k: v for k, v in record.items() if v not in ("", None, [], False)}


def _commitment(key: str, area: str, text_en: str, text_fr: str, **fields: Any) -> dict:
    return {
        "id": uid("commitment", key),
        "area": area,
        "text_en": text_en,
        "text_fr": text_fr,
        **fields,
    }


ACTIVITIES = [
    _activity(
        "eli",
        "project",
        "international_network",
        "European Lymphoma Institute",
        "Institut européen du lymphome",
        acronym="ELI",
        topics=("lymphoma",),
        participations=[take("clara", "participant")],
        sentences=(PROJECTS,),
    ),
    _activity(
        "wsn",
        "project",
        "international_network",
        "World Sarcoma Network",
        "Réseau mondial du sarcome",
        acronym="WSN",
        topics=("sarcoma",),
        participations=[take("clara", "participant")],
        sentences=(PROJECTS,),
    ),
    _activity(
        "milan",
        "project",
        "collaborative_project",
        "Identifying biomarkers in lung cancer, with Milan",
        "Identification de biomarqueurs du cancer du poumon, avec Milan",
        topics=("biomarkers", "lung-cancer"),
        places=("grenoble", "milan"),
        participations=[
            take("brambilla", "coordinator", person=True, place="grenoble"),
            take("clara", "partner"),
            take("milan-cluster", "partner"),
            take("inca", "supporter"),
        ],
        sentences=(CLUSTERS, MILAN),
    ),
    _activity(
        "lausanne",
        "project",
        "collaborative_project",
        "The role of dependence receptors in colon cancer, with Lausanne",
        "Le rôle des récepteurs à dépendance dans le cancer du côlon, avec Lausanne",
        topics=("dependence-receptors", "colon-cancer"),
        places=("lyon", "lausanne"),
        participations=[
            take("mehlen", "coordinator", person=True, place="lyon"),
            take("clara", "partner"),
            take("lausanne-cluster", "partner"),
            take("inca", "supporter"),
        ],
        sentences=(CLUSTERS, LAUSANNE),
    ),
    _activity(
        "nano2life",
        "program",
        "flagship_program",
        "Nano2Life",
        "Nano2Life",
        participations=[
            take("boisseau", "coordinator", person=True, place="grenoble"),
            take("european-commission", "supporter"),
        ],
        sentences=(FLAGSHIPS,),
    ),
    _activity(
        "conticanet",
        "program",
        "flagship_program",
        "CONTICANET",
        "CONTICANET",
        acronym="CONTICANET",
        participations=[
            take("blay", "coordinator", person=True, place="lyon"),
            take("european-commission", "supporter"),
        ],
        sentences=(FLAGSHIPS,),
    ),
    _activity(
        "european-cancer-observatory",
        "program",
        "observatory",
        "European Cancer Observatory",
        "Observatoire européen du cancer",
        participations=[take("iarc", "coordinator"), take("clara", "supporter")],
        sentences=(OBSERVATORY,),
    ),
    _activity(
        "weizmann-agreement",
        "agreement",
        "partnership_agreement",
        "Partnership agreement between the Auvergne-Rhône-Alpes Region, the Weizmann "
        "Institute and CLARA",
        "Accord de partenariat entre la Région Auvergne-Rhône-Alpes, l’Institut Weizmann et le "
        "CLARA",
        status="signed",
        participations=[
            take("region-ara", "party"),
            take("weizmann", "party"),
            take("clara", "party"),
        ],
        commitments=[
            _commitment(
                "weizmann-projects",
                "joint_projects",
                "development of joint scientific projects",
                "développement de projets scientifiques communs",
            ),
            _commitment(
                "weizmann-conferences",
                "joint_events",
                "joint scientific conferences, held alternately in France and in Israel",
                "conférences scientifiques communes, organisées alternativement en "
                "France et en Israël",
                alternate_countries=["FR", "IL"],
            ),
            _commitment(
                "weizmann-exchanges",
                "exchanges",
                "researcher, physician and student exchanges",
                "échanges de chercheurs, de médecins et d’étudiants",
                exchange_categories="researcher,physician,master_student,phd_student",
            ),
        ],
        sentences=(WEIZMANN,),
    ),
    _activity(
        "senegal-delegation",
        "delegation",
        "study_visit",
        "Senegalese delegation",
        "Délégation sénégalaise",
        direction="incoming",
        delegation_country="SN",
        purpose_en="To study the organization of the French healthcare system and explore "
        "potential partnerships in the field of cancer.",
        purpose_fr="Étudier l’organisation du système de santé français et explorer des "
        "partenariats possibles dans le domaine du cancer.",
        topics=("health-systems",),
        participations=[take("clara", "host")],
        sentences=(SENEGAL,),
    ),
    _activity(
        "iarc-dkfz",
        "project",
        "collaborative_project",
        "IARC and DKFZ teams together on virally induced cancers",
        "Les équipes du CIRC et du DKFZ réunies sur les cancers viro-induits",
        summary_en="Teams of the two international research centres come together in Lyon "
        "to speed up advances in the diagnosis, treatment and prevention of "
        "virally induced cancers.",
        summary_fr="Les équipes des deux centres internationaux de recherche se réunissent "
        "à Lyon pour accélérer les progrès du diagnostic, du traitement et de la "
        "prévention des cancers viro-induits.",
        topics=("virally-induced-cancers", "infectiology"),
        places=("lyon",),
        participations=[take("iarc", "partner"), take("dkfz", "partner")],
        sentences=(GERMANY,),
    ),
    _activity(
        "nanotech-symposium",
        "event",
        "symposium",
        "International symposium on clinical applications of nanotechnology in cancer",
        "Symposium international sur les applications cliniques des nanotechnologies en "
        "cancérologie",
        topics=("nanotechnology",),
        participations=[
            take("clara", "co_organizer"),
            take("grand-sud-ouest", "co_organizer"),
            take("ibec", "co_organizer"),
        ],
        sentences=(SYMPOSIUM,),
    ),
    _activity(
        "scientific-days",
        "event",
        "event_series",
        "CLARA Scientific Days",
        "Journées scientifiques du CLARA",
        participations=[take("clara", "organizer")],
        sentences=(SCIENTIFIC_DAYS,),
    ),
    _activity(
        "scientific-days-7",
        "event",
        "scientific_days",
        "7th CLARA Scientific Days",
        "7es Journées scientifiques du CLARA",
        edition=7,
        part_of="scientific-days",
        participations=[take("clara", "organizer")],
        sentences=(SCIENTIFIC_DAYS,),
    ),
    _activity(
        "catalonia-event",
        "event",
        "meeting",
        "Nanomedicine and oncology with Catalonia’s BioNanoMed and Oncocat clusters",
        "Nanomédecine et oncologie avec les clusters catalans BioNanoMed et Oncocat",
        summary_en="The event aimed to foster discussions between researchers and companies "
        "working in the fields of nanomedicine and oncology and to develop projects at the "
        "European scale.",
        summary_fr="L’événement visait à favoriser les échanges entre chercheurs et entreprises "
        "de la nanomédecine et de l’oncologie et à développer des projets à l’échelle "
        "européenne.",
        topics=("nanomedicine", "oncology"),
        part_of="scientific-days-7",
        participations=[
            take("clara", "organizer"),
            take("bionanomed", "partner"),
            take("oncocat", "partner"),
        ],
        sentences=(SCIENTIFIC_DAYS, SCIENTIFIC_DAYS_AIM),
    ),
    _activity(
        "china-program",
        "program",
        "cooperation_program",
        "Collaborative program between Auvergne-Rhône-Alpes and Shanghai",
        "Programme de collaboration entre Auvergne-Rhône-Alpes et Shanghai",
        start="2011",
        summary_en="It brings together academic teams in the Auvergne-Rhône-Alpes region "
        "and their counterparts in Shanghai.",
        summary_fr="Il réunit des équipes académiques de la région Auvergne-Rhône-Alpes et "
        "leurs homologues de Shanghai.",
        places=("shanghai",),
        participations=[take("clara", "coordinator")],
        sentences=(CHINA, PROJECTS),
    ),
    _activity(
        "franco-chinese-seminars",
        "event",
        "event_series",
        "Franco-Chinese seminars",
        "Séminaires franco-chinois",
        alternating=True,
        places=("shanghai", "lyon"),
        part_of="china-program",
        sentences=(CHINA_ACTIONS,),
    ),
    *(
        _activity(
            f"franco-chinese-seminar-{n}",
            "event",
            "seminar",
            f"Franco-Chinese seminar ({ordinal_en})",
            f"Séminaire franco-chinois ({ordinal_fr})",
            edition=n,
            part_of="franco-chinese-seminars",
            sentences=(CHINA_ACTIONS,),
        )
        for n, ordinal_en, ordinal_fr in ((1, "1st", "1er"), (2, "2nd", "2e"), (3, "3rd", "3e"))
    ),
    _activity(
        "cancer-stem-cells-project",
        "project",
        "joint_research_project",
        "Joint research project on cancer stem cells",
        "Projet de recherche commun sur les cellules souches cancéreuses",
        topics=("cancer-stem-cells",),
        part_of="china-program",
        sentences=(CHINA_ACTIONS,),
    ),
    *(
        _activity(
            f"china-exchange-{category}",
            "exchange",
            "mobility",
            title_en,
            title_fr,
            exchange_category=category,
            part_of="china-program",
            sentences=(CHINA_ACTIONS,),
        )
        for category, title_en, title_fr in (
            (
                "phd_student",
                "Franco-Chinese exchanges of PhD students",
                "Échanges franco-chinois de doctorants",
            ),
            (
                "physician",
                "Franco-Chinese exchanges of physicians",
                "Échanges franco-chinois de médecins",
            ),
            (
                "master_student",
                "Franco-Chinese exchanges of Master’s students",
                "Échanges franco-chinois d’étudiants de master",
            ),
            (
                "resident",
                "Franco-Chinese exchanges of residents",
                "Échanges franco-chinois d’internes",
            ),
        )
    ),
    _activity(
        "crcl-sci-agreement",
        "agreement",
        "partnership_agreement",
        "Partnership agreement between the Lyon Cancer Research Center (CRCL) and the "
        "Shanghai Cancer Institute",
        "Accord de partenariat entre le Centre de recherche en cancérologie de Lyon (CRCL) "
        "et l’Institut du cancer de Shanghai",
        status="signed",
        signed_on="2013",
        part_of="china-program",
        participations=[take("crcl", "party"), take("shanghai-cancer-institute", "party")],
        sentences=(CHINA_ACTIONS,),
    ),
]

SOURCES = [
    {
        "id": SEED,
        "title": "International relations",
        "publisher": "CLARA",
        "language": "en",
        "document": "international-relations.txt",
        "visibility": "public",
        "note": "The cluster's public “International relations” page, written by hand; the demo "
        "network states every fact of it.",
    },
    {
        "id": ROR,
        "title": "Research Organization Registry (ROR), records as of release v2.9",
        "url": "https://ror.org/",
        "document": "ror-records-51k.jsonl.gz",
        "publisher": "ROR",
        "visibility": "public",
        "note": "Identifiers, names in other languages and cities (GeoNames) of the organizations "
        "that ROR knows.",
    },
]


def seed_document() -> dict[str, Any]:
    """What the seed page states, as an interchange document; the demo loads it with what a
    specialist knows of its records written in (``document.demo_document``)."""
    return {
        "format": "passerelle",
        "version": 1,
        "sources": SOURCES,
        "places": PLACES,
        "topics": TOPICS,
        "organizations": ORGANIZATIONS,
        "people": PEOPLE,
        "activities": ACTIVITIES,
    }
