"""A delegation's follow-up actions and agenda: complete or refused, restricted by the
delegation's rule, on the desk, in the interchange document."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from passerelle.activities.followups import due_follow_ups
from passerelle.activities.models import Activity, AgendaItem, FollowUp
from passerelle.core import desk
from passerelle.ingest.interchange import export_document, import_document

TODAY = datetime.date(2026, 12, 1)


@pytest.fixture
def delegation(db):
    return Activity.objects.create(
        kind="delegation",
        category="study_visit",
        title_en="Visiting delegation",
        direction="incoming",
        delegation_country="SN",
        visibility="internal",
    )


def test_an_action_with_no_owner_or_done_with_no_day_is_refused_naming_the_field(delegation, staff):
    action = FollowUp(delegation=delegation, action_en="Explore partnerships")
    with pytest.raises(ValidationError) as refused:
        action.full_clean()
    assert "«Explore partnerships» has no owner" in refused.value.message_dict["owner"][0]
    action.owner, action.status = staff, "done"
    with pytest.raises(ValidationError) as undated:
        action.full_clean()
    assert "closed_on" in undated.value.message_dict
    agreement = Activity.objects.create(
        kind="agreement", status="signed", title_en="Signed after the visit"
    )
    action.status, action.result = "open", agreement
    with pytest.raises(ValidationError) as open_result:
        action.full_clean()
    assert "result" in open_result.value.message_dict
    action.status, action.closed_on = "done", TODAY
    action.full_clean()  # done, on a day, leading to the agreement
    action.save()
    assert agreement.produced_by.get() == action
    other = Activity.objects.create(kind="event", title_en="Not a delegation")
    wrong = FollowUp(delegation=other, action_en="x", owner=staff)
    with pytest.raises(ValidationError) as not_delegation:
        wrong.full_clean()
    assert "is not a delegation" in not_delegation.value.message_dict["delegation"][0]


def test_the_desk_lists_actions_due_within_two_weeks_or_overdue_to_their_owner(delegation, staff):
    soon = FollowUp.objects.create(
        delegation=delegation, action_en="Send the report", owner=staff, due=TODAY
    )
    late = FollowUp.objects.create(
        delegation=delegation,
        action_en="Call back",
        owner=staff,
        due=TODAY - datetime.timedelta(days=3),
    )
    FollowUp.objects.create(
        delegation=delegation,
        action_en="Later",
        owner=staff,
        due=TODAY + datetime.timedelta(days=15),
    )
    FollowUp.objects.create(
        delegation=delegation,
        action_en="Done",
        owner=staff,
        due=TODAY,
        status="done",
        closed_on=TODAY,
    )
    items = list(due_follow_ups(staff, TODAY))
    assert [(i.key, i.threshold, i.owner_id) for i in items] == [
        (f"follow_up:{late.pk}:due", "overdue", staff.pk),
        (f"follow_up:{soon.pk}:due", "due", staff.pk),
    ]
    assert "follow_ups" in {s.name for s in desk.desk_sources()}


def test_who_cannot_read_the_delegation_sees_none_of_its_actions_or_agenda(world, client):
    secret = world.secret["activities.followup"]
    for role in ("viewer", "contributor", "editor"):
        user = world.users[role]
        assert not FollowUp.objects.restrict(user, "view").filter(pk=secret.pk).exists()
        assert not AgendaItem.objects.restrict(user, "view").exists()
        assert list(due_follow_ups(user, TODAY)) == []
        client.force_login(user)
        listing = client.get(reverse("admin:activities_followup_changelist"))
        assert "ZYXQ" not in listing.content.decode()
    keeper = world.users["keeper"]
    assert FollowUp.objects.restrict(keeper, "view").filter(pk=secret.pk).exists()


def test_a_viewer_cannot_add_an_action_and_an_editor_adds_one_inline(world, client):
    delegation = Activity.objects.create(
        kind="delegation", title_en="Open delegation", visibility="public"
    )
    client.force_login(world.users["viewer"])
    add = reverse("admin:activities_followup_add")
    assert client.get(add).status_code == 403
    data = {
        "delegation": delegation.pk,
        "action_en": "Viewer's action",
        "owner": world.users["viewer"].pk,
        "status": "open",
    }
    assert client.post(add, data).status_code == 403
    assert not delegation.follow_ups.exists()
    client.force_login(world.users["editor"])
    data["owner"] = ""
    refused = client.post(add, {**data, "action_en": "No owner"})
    assert refused.status_code == 200 and "has no owner" in refused.content.decode()
    assert not delegation.follow_ups.exists()
    data["owner"] = world.users["editor"].pk
    data.update(
        {
            f"core-citation-content_type-object_id-{k}": v
            for k, v in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        }
    )
    saved = client.post(add, data)
    assert saved.status_code == 302, saved.content.decode()[:2000]
    action = delegation.follow_ups.get()
    assert action.history.count() == 1
    page = client.get(reverse("admin:activities_activity_change", args=[delegation.pk]))
    assert 'value="Viewer&#x27;s action"' in page.content.decode()  # the inline row


def test_actions_and_agenda_travel_in_the_document_and_back_unchanged(delegation, staff):
    agreement = Activity.objects.create(kind="project", title_en="Project started")
    FollowUp.objects.create(
        delegation=delegation,
        action_en="Sign",
        owner=staff,
        due=TODAY,
        status="done",
        closed_on=TODAY,
        result=agreement,
    )
    AgendaItem.objects.create(
        delegation=delegation, day=TODAY, time=datetime.time(14, 30), meeting="CLARA's team"
    )
    document = export_document()
    record = next(a for a in document["activities"] if a["id"] == str(delegation.uid))
    assert record["follow_ups"][0]["owner"] == staff.username
    assert record["follow_ups"][0]["result"] == str(agreement.uid)
    assert record["agenda"][0]["time"] == "14:30:00"
    summary = import_document(document)
    assert not summary.updated.get("activities")
    assert export_document()["activities"] == document["activities"]
    record["follow_ups"][0]["owner"] = "nobody-here"
    with pytest.raises(Exception, match="no user is named"):
        import_document(document)
    assert FollowUp.objects.get().owner == staff  # nothing written
