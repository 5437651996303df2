"""Contributors' drafts, editors' publishing, and the readers of confidential records."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from passerelle.access.models import ApiToken
from passerelle.access.roles import ensure_roles
from passerelle.activities.models import Activity, Participation
from passerelle.core.visibility import can_read, participations_visible_to, visible_to
from passerelle.registry.models import Organization


@pytest.fixture
def role(db):
    ensure_roles()

    def make(name: str, *groups: str):
        user = get_user_model().objects.create_user(name, password="pw-roles-1", is_staff=True)
        for group in groups:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        return user

    return make


def _bearer(user) -> dict:
    _token, secret = ApiToken.issue(user, "test")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_a_contributor_creates_a_draft_it_owns_in_the_back_office(client, role):
    camille = role("camille", "contributor")
    client.force_login(camille)
    add = "/en/admin/registry/organization/add/"
    form = {
        "name": "Istituto Tumori Demo",
        "kind": "research_institute",
        "status": "active",
        "visibility": "internal",
        "loaded_version": "",
    }
    for prefix in (
        "names",
        "identifiers",
        "relationships",
        "core-citation-content_type-object_id",
        "core-reader-content_type-object_id",
    ):
        form |= {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}
    refused = client.post(add, {**form, "visibility": "public"})
    assert refused.status_code == 200
    assert "is a draft: an editor publishes it before it can be public" in refused.content.decode()
    assert not Organization.objects.filter(name="Istituto Tumori Demo").exists()

    assert client.post(add, form).status_code == 302
    created = Organization.objects.get(name="Istituto Tumori Demo")
    assert created.draft and created.owner == camille
    change = client.get(f"/en/admin/registry/organization/{created.pk}/change/")
    assert 'name="_save"' in change.content.decode()  # its own draft: it may change it


def test_an_editor_publishes_and_the_contributor_can_no_longer_change_it(client, role):
    camille, edith = role("camille", "contributor"), role("edith", "editor")
    created = client.post(
        "/api/organizations/",
        {"name": "Lausanne Demo Lab", "kind": "research_institute", "visibility": "internal"},
        content_type="application/json",
        **_bearer(camille),
    )
    assert created.status_code == 201, created.content
    assert created.json()["draft"] is True
    lab = Organization.objects.get(uid=created.json()["id"])
    assert lab.owner == camille

    public = client.post(
        "/api/organizations/",
        {"name": "Public Draft", "kind": "company", "visibility": "public"},
        content_type="application/json",
        **_bearer(camille),
    )
    assert public.status_code == 422 and "visibility" in public.json()["detail"]
    assert not Organization.objects.filter(name="Public Draft").exists()

    client.force_login(edith)
    published = client.post(
        "/en/admin/registry/organization/",
        {"action": "publish_drafts", "_selected_action": [lab.pk]},
    )
    assert published.status_code == 302
    lab.refresh_from_db()
    assert not lab.draft
    assert lab.history.latest().history_user == edith
    client.logout()

    replaced = client.put(
        f"/api/organizations/{lab.uid}",
        {"name": "Renamed by the contributor", "kind": "company"},
        content_type="application/json",
        HTTP_IF_MATCH=f'"{lab.updated.isoformat()}"',
        **_bearer(camille),
    )
    assert replaced.status_code == 403 and "own drafts" in replaced.json()["detail"]
    lab.refresh_from_db()
    assert lab.name == "Lausanne Demo Lab"


def test_only_editors_may_publish(client, role):
    camille = role("camille", "contributor")
    draft = Organization.objects.create(name="Draft", kind="company", draft=True, owner=camille)
    client.force_login(camille)
    client.post(
        "/en/admin/registry/organization/",
        {"action": "publish_drafts", "_selected_action": [draft.pk]},
    )
    draft.refresh_from_db()
    assert draft.draft


@pytest.mark.django_db
def test_the_database_refuses_a_public_draft():
    lab = Organization.objects.create(name="Lab", kind="company", visibility="public")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organization.objects.filter(pk=lab.pk).update(draft=True)
    lab.refresh_from_db()
    assert not lab.draft


def test_readers_named_as_a_group_read_the_confidential_record(role):
    lyon, grenoble = role("lyon", "viewer", "lyon-office"), role("grenoble", "viewer")
    talks = Activity.objects.create(
        title_en="Negotiation with Weizmann", kind="agreement", visibility="confidential"
    )
    talks.readers.create(group=Group.objects.get(name="lyon-office"))
    assert list(visible_to(Activity.objects.all(), lyon)) == [talks]
    assert list(visible_to(Activity.objects.all(), grenoble)) == []
    assert can_read(talks, lyon) and not can_read(talks, grenoble)


def test_confidential_participations_follow_their_activitys_readers(role):
    reader, other = role("reader", "viewer"), role("other", "viewer")
    program = Activity.objects.create(title_en="Program", kind="program", visibility="internal")
    program.readers.create(user=reader)
    open_partner = Organization.objects.create(name="Open", kind="university")
    secret_partner = Organization.objects.create(
        name="Secret", kind="university", visibility="confidential"
    )
    quiet_tie = Organization.objects.create(name="Quiet", kind="university")
    for partner, visibility in [
        (open_partner, "public"),
        (secret_partner, "public"),
        (quiet_tie, "confidential"),
    ]:
        Participation.objects.create(
            activity=program, organization=partner, role="partner", visibility=visibility
        )
    ties = Participation.objects.all()

    def partners(user):
        return {p.organization.name for p in participations_visible_to(ties, user)}

    assert partners(reader) == {"Open", "Quiet"}  # not Secret: its organization is hidden
    assert partners(other) == {"Open"}
    secret_partner.readers.create(user=other)
    assert partners(other) == {"Open", "Secret"}


def test_naming_and_removing_a_reader_is_audited(role):
    from passerelle.access.models import AuditEvent

    lyon = role("lyon", "viewer")
    talks = Activity.objects.create(title_en="Talks", kind="agreement", visibility="confidential")
    reader = talks.readers.create(user=lyon)
    reader.delete()
    events = AuditEvent.objects.filter(action="readers_changed").order_by("pk")
    assert [(e.detail["change"], e.detail["reader"], e.target) for e in events] == [
        ("add", "lyon", "activity «Talks»"),
        ("remove", "lyon", "activity «Talks»"),
    ]
