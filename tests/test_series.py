"""Series of events: an edition number once per series; an alternating series' places."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from passerelle.activities.models import Activity, ActivityLink
from passerelle.registry.models import Place


@pytest.fixture
def seminars(demo):
    return Activity.objects.get(title_en="Franco-Chinese seminars")


def _milan() -> Place:
    return Place.objects.get(name_en="Milan")


def test_a_second_third_edition_is_refused_naming_the_field_and_the_other(seminars):
    duplicate = Activity.objects.create(
        kind="event", category="seminar", title_en="Franco-Chinese seminar, Milan", edition=3
    )
    link = ActivityLink(subject=duplicate, relation="part_of", object=seminars)
    with pytest.raises(ValidationError) as refused:
        link.full_clean()
    message = " ".join(refused.value.message_dict["object"])
    assert "edition 3" in message and "«Franco-Chinese seminar (3rd)»" in message
    # an edition renumbered onto another's number is refused by its own clean()
    second = Activity.objects.get(title_en="Franco-Chinese seminar (2nd)")
    second.edition = 1
    with pytest.raises(ValidationError) as renumbered:
        second.full_clean()
    assert "«Franco-Chinese seminar (1st)»" in " ".join(renumbered.value.message_dict["edition"])
    second.edition = 4
    second.full_clean()  # a free number is fine


def test_an_alternating_series_refuses_a_host_outside_its_places(seminars):
    fourth = Activity.objects.create(
        kind="event", category="seminar", title_en="Franco-Chinese seminar (4th)", edition=4
    )
    fourth.places.add(_milan())
    with pytest.raises(ValidationError) as refused:
        ActivityLink(subject=fourth, relation="part_of", object=seminars).full_clean()
    message = " ".join(refused.value.message_dict["object"])
    assert "held alternately in" in message and "Milan" in message
    fourth.places.set([Place.objects.get(name_en="Lyon")])
    ActivityLink(subject=fourth, relation="part_of", object=seminars).full_clean()


def test_the_back_office_refuses_a_duplicate_edition_and_writes_nothing(staff_client, seminars):
    from .backoffice_pages import _empty_inlines

    url = reverse("admin:activities_activity_add") + "?kind=event"
    page = staff_client.get(url)
    prefix = next(
        i.formset.prefix
        for i in page.context["inline_admin_formsets"]
        if i.formset.model is ActivityLink
    )
    data = {
        "kind": "event",
        "category": "seminar",
        "title_en": "Franco-Chinese seminar, Milan",
        "edition": "3",
        "places": [str(_milan().pk)],
        "visibility": "public",
        **_empty_inlines(page.context["inline_admin_formsets"]),
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-0-relation": "part_of",
        f"{prefix}-0-object": str(seminars.pk),
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "edition 3 of the series «Franco-Chinese seminars» is already" in body
    assert "is held alternately in" in body and "Milan" in body
    assert not Activity.objects.filter(title_en="Franco-Chinese seminar, Milan").exists()
    data.update({"edition": "4", "places": [str(Place.objects.get(name_en="Shanghai").pk)]})
    assert staff_client.post(url, data).status_code == 302
    assert Activity.objects.get(title_en="Franco-Chinese seminar, Milan").edition == 4
