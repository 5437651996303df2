"""Exchange figures through the API: the same function as the back office's figures page
(``activities.exchanges.exchange_figures``), over the exchanges the caller reads."""

from __future__ import annotations

from typing import Literal

from ninja import Query, Router, Schema
from pydantic import Field

from passerelle.activities.exchanges import FigureFilters, exchange_figures, totals

from .auth import OPTIONAL_AUTH
from .schemas import ERRORS

router = Router(tags=["figures"])


class FigureParameters(Schema):
    year: int | None = Field(None, ge=1900, le=2100)
    category: (
        Literal["researcher", "physician", "master_student", "phd_student", "resident"] | None
    ) = None
    direction: Literal["incoming", "outgoing"] | None = None
    country: str = Field("", max_length=2, pattern=r"^[A-Za-z]{0,2}$")


class FigureOut(Schema):
    year: int | None
    category: str
    direction: str
    country: str
    exchanges: int
    people: int
    person_months: float
    people_unknown: int
    months_unknown: int


class FiguresOut(Schema):
    rows: list[FigureOut]
    total: FigureOut
    notes: list[str]


NOTES = [
    "people: the headcount, else the people named; an exchange with neither is counted in "
    "people_unknown, never as one person",
    "person_months: people × duration in months (the duration, else the days between two "
    "exact dates / 30.4375); months_unknown counts the exchanges with people but no duration",
    "country: the host organization's for an outgoing exchange, the home organization's for "
    "an incoming one; empty when not recorded",
    "year: the year the exchange starts; cancelled exchanges are left out",
]


@router.get(
    "/figures",
    response={200: FiguresOut, **ERRORS},
    operation_id="exchange_figures",
    openapi_extra=OPTIONAL_AUTH,
    summary="Exchanges in people and person-months, by year, category, direction, country",
)
def figures(request, parameters: Query[FigureParameters]):
    filters = FigureFilters(
        year=parameters.year,
        category=parameters.category or "",
        direction=parameters.direction or "",
        country=parameters.country.upper(),
    )
    rows = exchange_figures(request.auth, filters)
    return {
        "rows": [row.as_dict() for row in rows],
        "total": totals(rows).as_dict(),
        "notes": NOTES,
    }
