"""Search and matchmaking through the API: the same engine and the same visibility rule as
the portal and the back office (passerelle.search)."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from django.urls import reverse
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from passerelle.core.users import AnyUser
from passerelle.search import engine, matching
from passerelle.search.pages import portal_url, results_page

from .auth import OPTIONAL_AUTH
from .schemas import ERRORS

router = Router(tags=["search"])


class SearchParameters(Schema):
    q: str = Field("", max_length=1000)
    kind: Literal["organization", "person", "activity", "topic", "place"] | None = None
    subkind: str = Field("", max_length=20, pattern=r"^[a-z_]*$")
    country: str = Field("", max_length=2, pattern=r"^[A-Za-z]{0,2}$")
    topic: str = Field("", max_length=100, pattern=r"^[a-z0-9-]*$")
    year: int | None = Field(None, ge=1900, le=2100)
    role: str = Field("", max_length=20, pattern=r"^[a-z_]*$")
    mode: Literal["lexical", "semantic", "hybrid"] = "hybrid"
    page: int = Field(1, ge=1, le=1000)
    per_page: int = Field(20, ge=1, le=100)


class FacetValue(Schema):
    value: str
    label: str
    count: int


class Facet(Schema):
    name: str
    label: str
    values: list[FacetValue]


class SearchHit(Schema):
    kind: str
    id: UUID
    title: str
    summary: str
    url: str
    country: str
    score: float


class SearchGroup(Schema):
    kind: str
    label: str
    hits: list[SearchHit]


class SearchOut(Schema):
    query: str
    mode: str
    total: int
    capped: bool
    page: int
    pages: int
    notes: list[str]
    corrections: dict[str, list[str]]
    facets: list[Facet]
    groups: list[SearchGroup]


class MatchParameters(Schema):
    q: str = Field("", max_length=5000)
    record: UUID | None = Field(
        None, description="Match for this activity, organization or person."
    )
    kind: Literal["organization", "person", "network", "program"] | None = Field(
        None, description="Only people, organizations, networks or programs (and projects)."
    )
    scope: str = Field(
        "",
        max_length=6,
        pattern=r"^(region|abroad|[A-Za-z]{2})?$",
        description="region, abroad, or a country's ISO code.",
    )
    limit: int = Field(10, ge=1, le=100)


class Evidence(Schema):
    id: UUID
    title: str
    role: str


class SuggestionOut(Schema):
    kind: str
    group: str = Field(description="person, organization, network or program")
    id: UUID
    name: str
    country: str
    score: float
    signals: dict[str, float]
    shared_topics: list[str]
    evidence: list[Evidence]
    path: list[str]
    reasons: list[str]


class MatchOut(Schema):
    query: str
    notes: list[str]
    suggestions: list[SuggestionOut]


@router.get(
    "/search",
    response={200: SearchOut, **ERRORS},
    operation_id="search",
    openapi_extra=OPTIONAL_AUTH,
    summary="Search every kind of record",
)
def search(request, parameters: Query[SearchParameters]):
    filters = engine.Filters(
        kind=parameters.kind or "",
        subkind=parameters.subkind,
        country=parameters.country,
        topic=parameters.topic,
        year=parameters.year,
        role=parameters.role,
    )
    results = engine.search(
        parameters.q,
        request.auth,
        filters,
        page=parameters.page,
        per_page=parameters.per_page,
        mode=parameters.mode,
    )
    params = {k: v for k, v in parameters.dict().items() if v not in (None, "")}
    return results_page(results, params, portal_url, reverse("api:search"))


def _record(uid: UUID, user: AnyUser):
    found = matching.record_to_match(uid, user)
    if found is None:
        raise HttpError(404, f"No activity, organization or person {uid} that you may read.")
    return found


@router.get(
    "/match",
    response={200: MatchOut, **ERRORS},
    operation_id="match",
    openapi_extra=OPTIONAL_AUTH,
    summary="Who should we work with on a theme, a call text or a record?",
)
def match(request, parameters: Query[MatchParameters]):
    record = _record(parameters.record, request.auth) if parameters.record else None
    found = matching.match(
        parameters.q,
        user=request.auth,
        record=record,
        kind=parameters.kind or "",
        scope=parameters.scope,
        limit=parameters.limit,
    )
    return {
        "query": found.query[:200],
        "notes": found.notes,
        "suggestions": [s.as_json() for s in found.suggestions],
    }
