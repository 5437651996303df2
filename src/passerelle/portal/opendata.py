"""Open data on the site: records' IRIs, the dataset's page and files, the vocabulary.

- ``/id/<kind>/<uuid>`` answers 303 See Other with the record's page in the reader's
  language (cookie or Accept-Language); a record that is not public answers the portal's
  404, the same as a record that does not exist, so that an IRI tells nothing of what it
  hides.
- ``/ns`` is Passerelle's vocabulary: Turtle to a client that asks for it, otherwise 303
  to the vocabulary page, whose anchors are the terms (``/ns#Agreement``).
- ``/<lang>/open-data/`` describes the dataset, its licence (set by staff) and its files:
  Turtle, JSON-LD, and CSV per kind of record, streamed from the records as they are.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from passerelle.activities.delegation_models import FollowUp
from passerelle.activities.models import Activity, Commitment
from passerelle.activities.vocabulary import Category
from passerelle.core.visibility import public
from passerelle.ingest.linked.iris import KINDS, iri, namespace
from passerelle.ingest.linked.tables import TABLES, table_chunks
from passerelle.ingest.linked.vocabulary import shapes, terms, vocabulary
from passerelle.ingest.linked.writers import FORMATS, SUFFIXES, dataset_chunks
from passerelle.registry.models import Organization, Person, Place, Topic

from .caching import cached_page
from .models import OpenDataSetting
from .opendata_files import published

#: What the site answers for the vocabulary, by the media type a client accepts.
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld"}


class SeeOther(HttpResponseRedirectBase):
    """303: the IRI names a record, the page it leads to describes it."""

    status_code = 303


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def _page_of(kind: str, uid) -> str:
    """The portal page of a public record, in the active language, or Http404."""
    if kind in ("organization", "person"):
        model = Organization if kind == "organization" else Person
        if not public(model.objects.filter(uid=uid)).exists():
            raise Http404
        return reverse(f"portal:{kind}", kwargs={"uid": uid})
    if kind in ("activity", "series"):
        records = public(Activity.objects.filter(uid=uid))
        if kind == "series":
            records = records.filter(category=Category.EVENT_SERIES)
        if not records.exists():
            raise Http404
        return reverse("portal:activity", kwargs={"uid": uid})
    if kind == "topic":
        slug = public(Topic.objects.filter(uid=uid)).values_list("slug", flat=True).first()
        if slug is None:
            raise Http404
        return reverse("portal:topic", kwargs={"slug": slug})
    if kind == "place":
        country = public(Place.objects.filter(uid=uid)).values_list("country", flat=True).first()
        if country is None:
            raise Http404
        return reverse("portal:country", kwargs={"code": country.lower()})
    if kind == "commitment":
        row = (
            Commitment.objects.restrict(_anonymous(), "view")
            .filter(uid=uid)
            .values_list("agreement__uid", flat=True)
            .first()
        )
        if row is None:
            raise Http404
        return reverse("portal:activity", kwargs={"uid": row})
    if kind == "follow-up":
        row = (
            FollowUp.objects.restrict(_anonymous(), "view")
            .filter(uid=uid, delegation__visibility="public")
            .values_list("delegation__uid", flat=True)
            .first()
        )
        if row is None:
            raise Http404
        return reverse("portal:activity", kwargs={"uid": row})
    raise Http404


def resolve(request: HttpRequest, kind: str, uid) -> HttpResponse:
    """An IRI: 303 to the record's page in the reader's language."""
    if kind not in KINDS:
        raise Http404
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = SeeOther(_page_of(kind, uid))
    response["Vary"] = "Accept-Language, Cookie"
    return response


def _wants_rdf(request: HttpRequest) -> str | None:
    asked = request.GET.get("format", "")
    if asked in ("turtle", "ttl"):
        return "text/turtle"
    accept = request.headers.get("Accept", "")
    for media_type in RDF_TYPES:
        if media_type in accept and "text/html" not in accept:
            return media_type
    return None


def _rdf(graph, media_type: str) -> HttpResponse:
    text = graph.serialize(format=RDF_TYPES[media_type])
    response = HttpResponse(text, content_type=f"{media_type}; charset=utf-8")
    response["Vary"] = "Accept"
    return response


def namespace_document(request: HttpRequest) -> HttpResponse:
    """``/ns``: the vocabulary as RDF to a client that asks, else its page."""
    media_type = _wants_rdf(request)
    if media_type:
        return _rdf(vocabulary(), media_type)
    language = translation.get_language_from_request(request)
    with translation.override(language):
        response = SeeOther(reverse("portal:vocabulary"))
    response["Vary"] = "Accept, Accept-Language, Cookie"
    return response


def shapes_document(request: HttpRequest) -> HttpResponse:
    """``/ns/shapes``: the SHACL shapes the dataset keeps, as Turtle."""
    media_type = _wants_rdf(request) or "text/turtle"
    return _rdf(shapes(), media_type)


def dataset_file(request: HttpRequest, format: str) -> HttpResponse:
    """The whole public dataset (kept per version of the records, streamed when new)."""
    if format not in FORMATS:
        raise Http404
    return published(
        f"passerelle.{SUFFIXES[format]}",
        lambda: dataset_chunks(format),
        f"{FORMATS[format]}; charset=utf-8",
    )


def table_file(request: HttpRequest, table: str) -> HttpResponse:
    """One table of the dataset as CSV."""
    if table not in TABLES:
        raise Http404
    return published(f"{table}.csv", lambda: table_chunks(table), "text/csv; charset=utf-8")


def _counts() -> list[dict]:
    return [
        {"kind": label, "count": public(model.objects.all()).count()}
        for label, model in (
            (_("organizations"), Organization),
            (_("people"), Person),
            (_("places"), Place),
            (_("topics"), Topic),
            (_("activities"), Activity),
        )
    ]


def open_data_payload() -> dict:
    setting = OpenDataSetting.current()
    table_names = {
        "organizations": _("Organizations"),
        "people": _("People"),
        "places": _("Places"),
        "topics": _("Topics"),
        "activities": _("Activities"),
        "participations": _("Participations (who took part in what, in which role)"),
    }
    return {
        "type": "open-data",
        "licence": {
            "name": setting.licence_name,
            "url": setting.licence_url,
            "attribution": setting.attribution,
        },
        "records": _counts(),
        "files": [
            {
                "label": "Turtle",
                "url": reverse("dataset-ttl"),
                "type": FORMATS["turtle"],
            },
            {
                "label": "JSON-LD",
                "url": reverse("dataset-jsonld"),
                "type": FORMATS["jsonld"],
            },
        ],
        "tables": [
            {"label": str(table_names[t]), "url": reverse("dataset-table", args=[t])}
            for t in TABLES
        ],
        "iri_pattern": iri("organization", "00000000-0000-0000-0000-000000000000").replace(
            "organization/00000000-0000-0000-0000-000000000000", "<kind>/<uuid>"
        ),
        "iri_kinds": list(KINDS),
        "namespace": namespace(),
        "vocabulary_url": reverse("portal:vocabulary"),
        "shapes_url": reverse("shapes"),
    }


@cached_page
def open_data(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    from .views import respond

    description = _(
        "The public records of the cancer research cluster's international relations as open "
        "data: linked data (Turtle, JSON-LD) and CSV tables, with their licence."
    )
    return respond(
        request,
        open_data_payload(),
        "portal/open_data.html",
        _("Open data"),
        as_json,
        description,
    )


@cached_page
def vocabulary_page(request: HttpRequest, as_json: bool = False) -> HttpResponse:
    from .views import respond

    language = (translation.get_language() or "en")[:2]
    found = terms(language)
    payload = {
        "type": "vocabulary",
        "namespace": namespace(),
        "classes": [vars(t) for t in found["classes"]],
        "properties": [vars(t) for t in found["properties"]],
        "schemes": [vars(t) for t in found["schemes"]],
    }
    description = _(
        "Passerelle's own terms for agreements, commitments, delegations and follow-up "
        "actions, beside schema.org and the VIVO ontology."
    )
    return respond(
        request, payload, "portal/vocabulary.html", _("Open data vocabulary"), as_json, description
    )
