"""Each validation rule refuses bad records with a message naming the record and the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from passerelle.activities.models import Activity, ActivityLink, Commitment, Participation
from passerelle.core.dates import PartialDate, check_interval, display_interval
from passerelle.core.identifiers import normalize_identifier
from passerelle.registry.models import Identifier, Organization, Person, Place


def _errors(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        obj.full_clean()
    return caught.value.message_dict


@pytest.fixture
def clara(db):
    return Organization.objects.create(name="CLARA", kind="cluster")


@pytest.fixture
def weizmann(db):
    return Organization.objects.create(name="Weizmann Institute of Science")


# -- dates and intervals


@pytest.mark.parametrize("text", ["2011", "2011-05", "2011-05-03", "2024-02-29"])
def test_partial_dates_keep_their_precision(text):
    assert PartialDate.parse(text).isoformat() == text


@pytest.mark.parametrize("text", ["11", "2011-13", "2011-02-30", "2023-02-29", "May 2011", ""])
def test_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_a_year_is_shown_as_a_year_and_covers_the_whole_year():
    year = PartialDate.parse("2013")
    assert year.display() == "2013"
    assert (str(year.first_day), str(year.last_day)) == ("2013-01-01", "2013-12-31")
    assert str(PartialDate.parse("2012-02").last_day) == "2012-02-29"
    assert display_interval("2011", "") == "since 2011"
    assert display_interval("2011", "2013") == "2011–2013"


def test_interval_ends_may_be_less_precise_than_starts():
    assert check_interval("2011-05", "2011") is None
    assert check_interval("2011-05-03", "2011-05") is None
    assert "ends (2010) before it starts (2011-05)" in check_interval("2011-05", "2010")


def test_an_activity_cannot_end_before_it_starts(db):
    activity = Activity(kind="project", title_en="Milan program", start="2013", end="2012-06")
    errors = _errors(activity)
    assert "Milan program" in errors["end"][0] and "before it starts" in errors["end"][0]


def test_a_malformed_date_names_the_field(db):
    errors = _errors(Activity(kind="project", title_en="X", start="2013-14"))
    assert "2013-14" in errors["start"][0]


# -- identifiers


@pytest.mark.parametrize("raw", ["01cmnjq37", "https://ror.org/01cmnjq37", "01CMNJQ37"])
def test_ror_ids_are_stored_bare(raw):
    assert normalize_identifier("ror", raw) == "01cmnjq37"


@pytest.mark.parametrize("raw", ["01cmnjq38", "1cmnjq37", "01cmnjq3", "0lcmnjq37", "x"])
def test_malformed_ror_ids_are_refused(clara, raw):
    errors = _errors(Identifier(organization=clara, scheme="ror", value=raw))
    assert "CLARA" in errors["value"][0] and "ROR" in errors["value"][0]


def test_orcid_checksum(db):
    person = Person.objects.create(family_name="Carberry", given_name="Josiah")
    good = Identifier(person=person, scheme="orcid", value="https://orcid.org/0000-0002-1825-0097")
    good.full_clean()
    assert good.value == "0000-0002-1825-0097"
    assert normalize_identifier("orcid", "0000-0002-1694-233X") == "0000-0002-1694-233X"
    errors = _errors(Identifier(person=person, scheme="orcid", value="0000-0002-1825-0098"))
    assert "check digit should be 7" in errors["value"][0]
    assert "Josiah Carberry" in errors["value"][0]


def test_isni_checksum():
    assert normalize_identifier("isni", "0000 0004 0598 0095") == "0000000405980095"
    with pytest.raises(ValueError, match="check digit"):
        normalize_identifier("isni", "0000 0004 0598 0096")


def test_an_identifier_scheme_must_fit_the_record(clara):
    errors = _errors(Identifier(organization=clara, scheme="orcid", value="0000-0002-1825-0097"))
    assert "does not fit" in errors["scheme"][0]


def test_no_two_records_share_an_identifier(clara, weizmann):
    Identifier.objects.create(organization=clara, scheme="ror", value="0316ej306")
    errors = _errors(
        Identifier(organization=weizmann, scheme="ror", value="https://ror.org/0316ej306")
    )
    assert errors["value"] == [
        "Weizmann Institute of Science: ROR 0316ej306 is already the identifier of CLARA."
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.create(organization=weizmann, scheme="ror", value="0316ej306")


def test_identifier_belongs_to_exactly_one_record(clara):
    person = Person.objects.create(family_name="Mehlen")
    with pytest.raises(IntegrityError), transaction.atomic():
        Identifier.objects.create(
            organization=clara, person=person, scheme="website", value="https://example.org"
        )


# -- roles and kinds


def _seminar():
    return Activity.objects.create(
        kind="event", category="seminar", title_en="Franco-Chinese seminar"
    )


def test_a_role_must_fit_the_activity_kind(clara):
    participation = Participation(activity=_seminar(), organization=clara, role="signatory")
    errors = _errors(participation)
    assert errors["role"][0].startswith(
        "«Franco-Chinese seminar»: “signatory” is not a role in activities of kind “event”"
    )
    assert "organizer" in errors["role"][0]


def test_unknown_roles_are_refused(clara):
    errors = _errors(Participation(activity=_seminar(), organization=clara, role="sponsor"))
    assert "role" in errors


def test_a_person_cannot_be_a_party(db):
    agreement = Activity.objects.create(kind="agreement", status="signed", title_en="Accord")
    person = Person.objects.create(family_name="Blay", given_name="Jean-Yves", title="pr")
    errors = _errors(Participation(activity=agreement, person=person, role="party"))
    assert "Pr. Jean-Yves Blay: only an organization can be party" in errors["role"][0]


def test_a_participation_names_one_actor(clara):
    errors = _errors(Participation(activity=_seminar(), role="organizer"))
    assert "one organization or one person" in errors["organization"][0]
    person = Person.objects.create(family_name="Mehlen")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participation.objects.create(
            activity=_seminar(), organization=clara, person=person, role="organizer"
        )


def test_unknown_kinds_and_categories_are_refused(db):
    assert "kind" in _errors(Activity(kind="party", title_en="X"))
    errors = _errors(Activity(kind="event", category="flagship_program", title_en="Seminar"))
    assert "is not a category of activities of kind “event”" in errors["category"][0]


def test_kind_specific_fields_belong_to_their_kind(db):
    errors = _errors(Activity(kind="event", title_en="Seminar", signed_on="2013", status="signed"))
    assert "«Seminar»: activities of kind “event” have no signed on" in errors["signed_on"][0]
    assert "status" in errors


def test_an_agreement_has_a_status(db):
    assert "status" in _errors(Activity(kind="agreement", title_en="Accord"))


def test_funding_needs_a_currency(db):
    errors = _errors(Activity(kind="program", title_en="P", funding_amount=1000))
    assert "currency" in errors["funding_currency"][0]
    assert "funding_currency" in _errors(
        Activity(kind="program", title_en="P", funding_amount=1000, funding_currency="eur")
    )


def test_unknown_countries_are_refused(db):
    assert "country" in _errors(Place(name_en="Atlantis", country="XX"))
    assert "delegation_country" in _errors(
        Activity(kind="delegation", title_en="D", delegation_country="ZZ")
    )


def test_coordinates_come_in_pairs_and_in_range(db):
    assert "longitude" in _errors(Place(name_en="Lyon", country="FR", latitude=45.7))
    assert "latitude" in _errors(Place(name_en="Lyon", country="FR", latitude=95, longitude=4))


# -- commitments and links


def test_commitments_belong_to_agreements_and_know_their_categories(db):
    project = Activity.objects.create(kind="project", title_en="Project")
    errors = _errors(Commitment(agreement=project, area="exchanges", text_en="exchanges"))
    assert "not an agreement" in errors["agreement"][0]
    agreement = Activity.objects.create(kind="agreement", status="signed", title_en="Accord")
    errors = _errors(
        Commitment(
            agreement=agreement,
            area="exchanges",
            text_en="x",
            exchange_categories="researcher,astronaut",
        )
    )
    assert "astronaut" in errors["exchange_categories"][0]
    errors = _errors(
        Commitment(
            agreement=agreement, area="joint_events", text_en="x", alternate_countries=["FR"]
        )
    )
    assert "alternate_countries" in errors


def test_links_refuse_cycles_and_non_agreements(db):
    program = Activity.objects.create(kind="program", title_en="China program")
    series = Activity.objects.create(kind="event", category="event_series", title_en="Seminars")
    ActivityLink.objects.create(subject=series, relation="part_of", object=program)
    assert "object" in _errors(ActivityLink(subject=program, relation="part_of", object=series))
    assert "object" in _errors(ActivityLink(subject=series, relation="part_of", object=series))
    errors = _errors(ActivityLink(subject=series, relation="fulfils", object=program))
    assert "not an agreement" in errors["object"][0]


def test_places_without_a_city_are_named_after_their_region_or_country(db):
    assert str(Place(country="SN")) == "Senegal"
    assert str(Place(region="Catalonia", country="ES")) == "Catalonia, Spain"
    assert str(Place(name_en="Milan", country="IT")) == "Milan, Italy"
