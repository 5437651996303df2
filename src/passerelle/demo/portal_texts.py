"""What the demo's public window says besides the records: introductions and featured work.

The International relations introduction is the seed page's own opening, word for
word (a test checks it); the French is ours.
"""

from __future__ import annotations

from passerelle.activities.models import Activity
from passerelle.portal.models import SECTIONS, FeaturedActivity, Introduction, SectionSetting

from .network import SEED_PAGE, uid

INTRODUCTION_EN = (
    "Today, the Auvergne-Rhône-Alpes region offers a dense network of experts and "
    "organizations in the cancer research field. This fertile environment helps to strengthen "
    "the position of the region’s key players in oncology at the European level.",
    "Since its creation, CLARA has been working to position the Auvergne-Rhône-Alpes region as "
    "a world reference in the fight against cancer. The cluster has taken part in many "
    "international actions to promote the area’s top-flight research expertise far beyond its "
    "borders.",
)
INTRODUCTION_FR = (
    "La région Auvergne-Rhône-Alpes offre aujourd’hui un réseau dense d’experts et d’organismes "
    "de la recherche sur le cancer. Cet environnement fertile renforce la place de ses acteurs "
    "de l’oncologie à l’échelle européenne.",
    "Depuis sa création, le CLARA s’attache à faire de la région Auvergne-Rhône-Alpes une "
    "référence mondiale de la lutte contre le cancer. Le cancéropôle a pris part à de "
    "nombreuses actions internationales pour faire connaître bien au-delà de ses frontières "
    "l’excellence de la recherche régionale.",
)
HOME_EN = (
    "Passerelle publishes the international relations of CLARA, the cancer research cluster of "
    "Auvergne-Rhône-Alpes: its programs with foreign clusters, European programs, agreements, "
    "delegations, exchanges and events, from the records its staff keep.",
)
HOME_FR = (
    "Passerelle publie les relations internationales du CLARA, le cancéropôle "
    "Auvergne-Rhône-Alpes : ses programmes avec des cancéropôles étrangers, ses programmes "
    "européens, accords, délégations, échanges et événements, à partir des fiches que tient "
    "son équipe.",
)
FEATURED = ("weizmann-agreement", "china-program")
#: The headlines the seed page's author wrote over its sections (and the one sentence the
#: records cannot say: the seed counts three flagship programs and names two), in both
#: languages: (key, headline_en, headline_fr, lede_en, lede_fr).
SECTION_WORDING = (
    (
        "clusters",
        "Collaborative programs with Milan and Lausanne…",
        "Des programmes collaboratifs avec Milan et Lausanne…",
        "",
        "",
    ),
    (
        "europe",
        "… and greater recognition in Europe",
        "… et une reconnaissance accrue en Europe",
        "Three flagship research and organization programs are supported by the European "
        "Community.",
        "Trois programmes phares de recherche et d’organisation sont soutenus par la "
        "Communauté européenne.",
    ),
    (
        "agreements",
        "Productive collaboration between the Weizmann Institute (Israel) and the "
        "Auvergne-Rhône-Alpes Region",
        "Une collaboration fructueuse entre l’Institut Weizmann (Israël) et la Région "
        "Auvergne-Rhône-Alpes",
        "",
        "",
    ),
    (
        "delegations",
        "A Senegalese delegation benefits from CLARA expertise",
        "Une délégation sénégalaise bénéficie de l’expertise du CLARA",
        "",
        "",
    ),
    (
        "thematic",
        "Infectiology at the center of collaboration with Germany",
        "L’infectiologie au cœur de la collaboration avec l’Allemagne",
        "",
        "",
    ),
    (
        "events",
        "An international symposium with Spanish clusters",
        "Un symposium international avec des clusters espagnols",
        "",
        "",
    ),
    (
        "countries",
        "The CLARA cancer cluster gets active in China",
        "Le CLARA s’active en Chine",
        "",
        "",
    ),
)


def load_portal_texts() -> None:
    """Introductions and featured activities; a second run changes nothing."""
    texts = {
        (Introduction.Page.INTERNATIONAL_RELATIONS, "en"): INTRODUCTION_EN,
        (Introduction.Page.INTERNATIONAL_RELATIONS, "fr"): INTRODUCTION_FR,
        (Introduction.Page.HOME, "en"): HOME_EN,
        (Introduction.Page.HOME, "fr"): HOME_FR,
    }
    for (page, language), paragraphs in texts.items():
        text = "\n\n".join(paragraphs)
        introduction, created = Introduction.objects.get_or_create(
            page=page, language=language, defaults={"text": text}
        )
        if not created and introduction.text != text:
            introduction.text = text
            introduction.save()
    order = [key for key, _title in SECTIONS]
    for key, headline_en, headline_fr, lede_en, lede_fr in SECTION_WORDING:
        wording = {
            "position": order.index(key),
            "headline_en": headline_en,
            "headline_fr": headline_fr,
            "lede_en": lede_en,
            "lede_fr": lede_fr,
        }
        setting = SectionSetting.objects.filter(key=key).first()
        if setting is None:
            SectionSetting.objects.create(key=key, **wording)
        elif any(getattr(setting, name) != value for name, value in wording.items()):
            for name, value in wording.items():
                setattr(setting, name, value)
            setting.save()
    for position, key in enumerate(FEATURED):
        activity = Activity.objects.get(uid=uid("activity", key))
        feature, created = FeaturedActivity.objects.get_or_create(
            activity=activity, defaults={"position": position}
        )
        if not created and feature.position != position:
            feature.position = position
            feature.save()


def seed_paragraphs() -> list[str]:
    """The seed page's paragraphs, to check the introduction against."""
    return [p.strip() for p in SEED_PAGE.read_text().split("\n\n") if p.strip()]
