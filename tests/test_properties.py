"""Property-based tests (hypothesis): partial dates, identifiers, and the JSON import."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from passerelle.core.dates import PartialDate, check_interval
from passerelle.core.identifiers import (
    _CROCKFORD,
    iso7064_mod11_2,
    normalize_identifier,
    ror_checksum,
)
from passerelle.ingest.interchange import DocumentError, import_document
from passerelle.registry.models import Place

EXAMPLES = settings(max_examples=200, deadline=None, derandomize=True)

dates = st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2999, 12, 31))


@st.composite
def partial_dates(draw) -> str:
    day = draw(dates)
    precision = draw(st.sampled_from(["year", "month", "day"]))
    return {"year": f"{day:%Y}", "month": f"{day:%Y-%m}", "day": day.isoformat()}[precision]


@EXAMPLES
@given(partial_dates())
def test_a_partial_date_reads_back_as_written(text):
    date = PartialDate.parse(text)
    assert date.isoformat() == text
    assert date.first_day <= date.last_day
    assert date.first_day.isoformat().startswith(text)


@EXAMPLES
@given(partial_dates(), partial_dates())
def test_text_order_is_time_order(a, b):
    """Why dates are stored as text: the database sorts them in time."""
    first_a, first_b = PartialDate.parse(a).first_day, PartialDate.parse(b).first_day
    if a < b and not b.startswith(a):
        assert first_a <= first_b


@EXAMPLES
@given(partial_dates(), partial_dates())
def test_an_interval_is_refused_exactly_when_it_ends_before_it_starts(start, end):
    problem = check_interval(start, end)
    ends_before = PartialDate.parse(end).last_day < PartialDate.parse(start).first_day
    assert (problem is not None) == ends_before


@EXAMPLES
@given(st.text(max_size=30))
@example("2011-02-30")
@example("2011-13")
@example("11")
def test_anything_else_is_a_clear_error(text):
    try:
        PartialDate.parse(text)
    except ValueError as error:
        assert "date" in str(error) or "month" in str(error) or "day" in str(error)


@EXAMPLES
@given(st.text(alphabet="0123456789abcdefghjkmnpqrstvwxyz", min_size=6, max_size=6))
def test_every_well_formed_ror_id_is_accepted_and_one_typo_is_caught(tail):
    body = "0" + tail
    ror = body + ror_checksum(body)
    assert normalize_identifier("ror", f"https://ror.org/{ror.upper()}") == ror
    position = 3
    changed = _CROCKFORD[(_CROCKFORD.index(ror[position]) + 1) % 32]
    typo = ror[:position] + changed + ror[position + 1 :]
    with pytest.raises(ValueError, match="checksum"):
        normalize_identifier("ror", typo)


@EXAMPLES
@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_every_orcid_with_its_check_digit_is_accepted_and_a_changed_digit_refused(digits):
    full = digits + iso7064_mod11_2(digits)
    orcid = "-".join(full[i : i + 4] for i in range(0, 16, 4))
    assert normalize_identifier("orcid", f"https://orcid.org/{orcid}") == orcid
    wrong = str((int(digits[0]) + 1) % 10) + full[1:]
    with pytest.raises(ValueError, match="ORCID"):
        normalize_identifier("orcid", "-".join(wrong[i : i + 4] for i in range(0, 16, 4)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3)
    ),
    max_leaves=10,
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    st.dictionaries(
        st.sampled_from(["id", "name_en", "country", "latitude", "region", "sources", "colour"]),
        json_values,
        max_size=5,
    )
)
def test_any_place_document_is_imported_whole_or_refused_with_a_path(db, place):
    before = Place.objects.count()
    document = {"format": "passerelle", "version": 1, "places": [place]}
    try:
        summary = import_document(document)
    except DocumentError as error:
        assert error.path.startswith(("places[0]", "document", "format", "version"))
        assert Place.objects.count() == before
    else:
        assert Place.objects.count() == before + summary.created.get("places", 0)


codes = st.sampled_from(["FR", "IL", "CN", "CH", "IT", "SN", "fr", "XX", ""])


@given(
    single=st.one_of(codes, st.none()),
    several=st.one_of(
        st.lists(codes, max_size=4).map(",".join), st.lists(codes, max_size=4), st.none()
    ),
)
@EXAMPLES
def test_country_fields_hold_what_the_librarys_own_cleaning_gives(single, several):
    """The project's country field stores a row's text as it comes, for speed: what it holds
    must be what django-countries' own cleaning gives, for any value set."""
    from passerelle.activities.models import Commitment

    place = Place(name_en="Somewhere")
    place.country = single
    assert place.__dict__["country"] == Place._meta.get_field("country").get_clean_value(single)
    commitment = Commitment()
    commitment.alternate_countries = several
    field = Commitment._meta.get_field("alternate_countries")
    assert commitment.__dict__["alternate_countries"] == field.get_clean_value(several)
