"""Judged queries over the demo network: what a user types, and which records answer it.

Grades: 3 is the answer, 2 a good answer, 1 related. Records are named by kind
and exact title, as the index shows them, so that the set stays readable and is
checked against the records when it runs (a title that no longer exists fails
the benchmark rather than scoring zero). About half the queries use the
records' own words; the other half paraphrase them (synonyms, the other
language, a description instead of a name), which is where meaning must help.
"""

from __future__ import annotations

A, O, P, T, L = "activity", "organization", "person", "topic", "place"  # noqa: E741

MILAN = (A, "Identifying biomarkers in lung cancer, with Milan")
LAUSANNE = (A, "The role of dependence receptors in colon cancer, with Lausanne")
SHANGHAI = (A, "Collaborative program between Auvergne-Rhône-Alpes and Shanghai")
SEMINARS = (A, "Franco-Chinese seminars")
STEM = (A, "Joint research project on cancer stem cells")
WEIZMANN_AGREEMENT = (
    A,
    "Partnership agreement between the Auvergne-Rhône-Alpes Region, the Weizmann Institute "
    "and CLARA",
)
CRCL_AGREEMENT = (
    A,
    "Partnership agreement between the Lyon Cancer Research Center (CRCL) and the Shanghai "
    "Cancer Institute",
)
SYMPOSIUM = (A, "International symposium on clinical applications of nanotechnology in cancer")
CATALONIA = (A, "Nanomedicine and oncology with Catalonia’s BioNanoMed and Oncocat clusters")
VIRUSES = (A, "IARC and DKFZ teams together on virally induced cancers")
SENEGAL = (A, "Senegalese delegation")
OBSERVATORY = (A, "European Cancer Observatory")
ELI = (O, "European Lymphoma Institute")
WSN = (O, "World Sarcoma Network")
IARC = (O, "International Agency for Research on Cancer")
DKFZ = (O, "German Cancer Research Center")
IBEC = (O, "Institute for Bioengineering of Catalonia")
BRAMBILLA = (P, "Pr. C. Brambilla")
MEHLEN = (P, "Dr. P. Mehlen")
BLAY = (P, "Pr. Jean-Yves Blay")
BOISSEAU = (P, "Patrick Boisseau")
EXCHANGES = [
    (A, "Franco-Chinese exchanges of Master’s students"),
    (A, "Franco-Chinese exchanges of PhD students"),
    (A, "Franco-Chinese exchanges of physicians"),
    (A, "Franco-Chinese exchanges of residents"),
]

#: (query, {record: grade})
SEARCH_QUERIES: list[tuple[str, dict[tuple[str, str], int]]] = [
    # the records' own words
    (
        "lung cancer biomarkers",
        {MILAN: 3, BRAMBILLA: 2, (T, "Biomarkers"): 1, (T, "Lung cancer"): 1},
    ),
    ("IARC", {IARC: 3, VIRUSES: 2, OBSERVATORY: 2}),
    ("CIRC", {IARC: 3}),
    ("International Agency for Research on Cancer", {IARC: 3, OBSERVATORY: 1, VIRUSES: 1}),
    ("Brambilla", {BRAMBILLA: 3, MILAN: 2}),
    ("Bramblla", {BRAMBILLA: 3, MILAN: 2}),
    ("Mehlen", {MEHLEN: 3, LAUSANNE: 2}),
    ("dependence receptors", {LAUSANNE: 3, (T, "Dependence receptors"): 2, MEHLEN: 1}),
    ("Weizmann Institute", {(O, "Weizmann Institute of Science"): 3, WEIZMANN_AGREEMENT: 3}),
    (
        "Shanghai",
        {
            SHANGHAI: 3,
            (O, "Shanghai Cancer Institute"): 3,
            CRCL_AGREEMENT: 2,
            SEMINARS: 2,
            (L, "Shanghai, China"): 1,
        },
    ),
    ("cancer stem cells", {STEM: 3, (T, "Cancer stem cells"): 2}),
    (
        "nanomedicine",
        {
            CATALONIA: 3,
            (T, "Nanomedicine"): 2,
            SYMPOSIUM: 2,
            (O, "BioNanoMed"): 2,
            (A, "Nano2Life"): 1,
        },
    ),
    ("Nano2Life", {(A, "Nano2Life"): 3, BOISSEAU: 2}),
    ("CONTICANET", {(A, "CONTICANET"): 3, BLAY: 2}),
    ("sarcoma", {WSN: 3, (T, "Sarcoma"): 2, (A, "CONTICANET"): 1}),
    ("lymphoma", {ELI: 3, (T, "Lymphoma"): 2}),
    ("Senegalese delegation", {SENEGAL: 3}),
    ("virally induced cancers", {VIRUSES: 3, (T, "Virally induced cancers"): 2, IARC: 1, DKFZ: 1}),
    ("DKFZ", {DKFZ: 3, VIRUSES: 2}),
    ("IBEC", {IBEC: 3, SYMPOSIUM: 2}),
    ("Oncocat", {(O, "Oncocat"): 3, CATALONIA: 2}),
    ("Scientific Days", {(A, "CLARA Scientific Days"): 3, (A, "7th CLARA Scientific Days"): 3}),
    (
        "Franco-Chinese seminar",
        {
            SEMINARS: 3,
            (A, "Franco-Chinese seminar (1st)"): 2,
            (A, "Franco-Chinese seminar (2nd)"): 2,
            (A, "Franco-Chinese seminar (3rd)"): 2,
        },
    ),
    ("PhD student exchanges", {EXCHANGES[1]: 3, **{e: 1 for e in EXCHANGES if e != EXCHANGES[1]}}),
    ("European Cancer Observatory", {OBSERVATORY: 3, IARC: 1}),
    (
        "Lausanne",
        {
            (O, "Cancer research cluster in Lausanne"): 3,
            LAUSANNE: 3,
            (L, "Lausanne, Switzerland"): 2,
        },
    ),
    # the other language
    ("cellules souches cancéreuses", {STEM: 3, (T, "Cancer stem cells"): 2}),
    ("cancer du poumon", {MILAN: 3, (T, "Lung cancer"): 2, BRAMBILLA: 1}),
    ("récepteurs à dépendance", {LAUSANNE: 3, (T, "Dependence receptors"): 2}),
    ("Centre international de recherche sur le cancer", {IARC: 3}),
    ("échanges de médecins avec la Chine", {EXCHANGES[2]: 3, SHANGHAI: 1}),
    ("accord de partenariat Israël", {WEIZMANN_AGREEMENT: 3}),
    # paraphrases: no record says it in these words
    (
        "tumour nanoparticles",
        {
            CATALONIA: 3,
            SYMPOSIUM: 3,
            (T, "Nanomedicine"): 2,
            (T, "Nanotechnology"): 2,
            (A, "Nano2Life"): 1,
        },
    ),
    ("viruses that cause tumours", {VIRUSES: 3, (T, "Virally induced cancers"): 2}),
    ("bone and soft tissue tumours", {WSN: 3, (T, "Sarcoma"): 2, (A, "CONTICANET"): 1}),
    ("blood cancer lymph nodes", {ELI: 3, (T, "Lymphoma"): 2}),
    ("molecular markers for early diagnosis of lung tumours", {MILAN: 3, BRAMBILLA: 1}),
    ("visit from a West African country", {SENEGAL: 3}),
    ("healthcare system organization", {SENEGAL: 3, (T, "Organization of healthcare systems"): 2}),
    ("doctors exchange with China", {EXCHANGES[2]: 3, EXCHANGES[3]: 1, SHANGHAI: 1}),
    ("student mobility to Shanghai", {EXCHANGES[0]: 2, EXCHANGES[1]: 2, SHANGHAI: 1}),
    (
        "Israeli research institute",
        {(O, "Weizmann Institute of Science"): 3, WEIZMANN_AGREEMENT: 2},
    ),
    ("German cancer research", {DKFZ: 3, VIRUSES: 2}),
    ("bioengineering in Barcelona", {IBEC: 3, (L, "Barcelona, Spain"): 1}),
    ("tumour initiating cells", {STEM: 3, (T, "Cancer stem cells"): 2}),
    (
        "intestinal cancer cell death receptors",
        {LAUSANNE: 3, (T, "Colon cancer"): 1, (T, "Dependence receptors"): 1},
    ),
]

#: (theme, filters for matching, {person or organization: grade})
MATCH_QUERIES: list[tuple[str, dict, dict[tuple[str, str], int]]] = [
    ("lung cancer biomarkers", {"kind": "person"}, {BRAMBILLA: 3}),
    ("lung cancer biomarkers", {"scope": "abroad"}, {(O, "Cancer research cluster in Milan"): 3}),
    (
        "nanomedicine partners in Spain",
        {"scope": "ES"},
        {IBEC: 3, (O, "BioNanoMed"): 3, (O, "Oncocat"): 3},
    ),
    ("dependence receptors colon cancer", {"kind": "person"}, {MEHLEN: 3}),
    (
        "dependence receptors colon cancer",
        {"scope": "abroad"},
        {(O, "Cancer research cluster in Lausanne"): 3},
    ),
    ("virally induced cancers", {}, {IARC: 3, DKFZ: 3}),
    ("sarcoma network", {"kind": "person"}, {BLAY: 3}),
    ("nanobiotechnology programme", {"kind": "person"}, {BOISSEAU: 3}),
    ("cancer stem cells", {"scope": "abroad"}, {(O, "Shanghai Cancer Institute"): 3}),
    ("joint conferences in Israel", {"scope": "abroad"}, {(O, "Weizmann Institute of Science"): 3}),
]
