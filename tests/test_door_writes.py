"""The back office's writes, played by each role over the planted world (doors_world.py).

Each outcome is written out by hand, as the policy states it: a viewer changes
nothing; a contributor its own drafts and what hangs off them; an editor what it
reads, and what composes the public site; an administrator everything. The
editor here is not a reader of the planted confidential records.
"""

from __future__ import annotations

import pytest
import tablib
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from passerelle.activities.models import ActivityLink, Participation
from passerelle.core import authoring
from passerelle.core.models import Citation
from passerelle.ingest.models import ImportConflict, Merge
from passerelle.ingest.sheets import ActivityResource, OrganizationResource
from passerelle.portal.models import (
    ActivityWording,
    FeaturedActivity,
    Introduction,
    SectionSetting,
)
from passerelle.registry.models import Identifier, Organization

from .doors_world import MARKER, SECRET_ORCID, STAFF_ROLES

V, C, E, A = STAFF_ROLES
ROLES = STAFF_ROLES


def _client(world, role) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def _org_form(name: str, **extra) -> dict:
    return {
        "name": name,
        "name_en": "",
        "name_fr": "",
        "acronym": "",
        "kind": "university",
        "status": "active",
        "visibility": "public",
        **extra,
    }


#: Revert POST (finding 2): the status, and whether the public record was renamed back.
REVERT_PUBLIC = {V: (403, False), C: (403, False), E: (302, True), A: (302, True)}
REVERT_SECRET = {V: 404, C: 404, E: 404, A: 302}


@pytest.mark.parametrize("role", ROLES)
def test_history_revert_needs_the_right_to_change(role, world):
    client = _client(world, role)
    public = world.open["org"]
    old = public.history.earliest()
    url = reverse("admin:registry_organization_simple_history", args=[public.pk, old.history_id])
    response = client.post(url, _org_form("Open Org old"))
    public.refresh_from_db()
    status, reverted = REVERT_PUBLIC[role]
    assert (response.status_code, public.name == "Open Org old") == (status, reverted)
    assert public.parent_id == world.secret["registry.organization"].pk or role == A

    secret = world.secret["activities.activity"]
    version = secret.history.earliest()
    url = reverse("admin:activities_activity_simple_history", args=[secret.pk, version.history_id])
    data = {"title_en": "Made public", "kind": "agreement", "visibility": "public"}
    if role == A:  # the whole form, as the page shows it
        form = client.get(url).context["adminform"].form
        data = {name: _value(form[name].value()) for name in form.fields} | data
    response = client.post(url, data)
    assert response.status_code == REVERT_SECRET[role], response.context and str(
        response.context["adminform"].form.errors
    )
    secret.refresh_from_db()
    assert secret.visibility == "confidential" or role == A


def _value(value):
    if value is None:
        return ""
    return [str(v) for v in value] if isinstance(value, list | tuple) else value


def test_a_revert_keeps_the_contributors_draft_a_draft_it_owns(world):
    client = _client(world, C)
    draft = world.open["own_draft"]
    draft.name = "Camille draft renamed"
    draft.save()
    old = draft.history.earliest()
    url = reverse("admin:registry_organization_simple_history", args=[draft.pk, old.history_id])
    response = client.post(url, _org_form("Camille draft", kind="company", visibility="internal"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    draft.refresh_from_db()
    assert (draft.name, draft.draft, draft.owner) == ("Camille draft", True, world.users[C])


#: Admin actions: whether each one did its work for the role.
ACTIONS = {
    # action, target: viewer, contributor, editor, administrator
    ("publish_drafts", "other_draft"): {V: False, C: False, E: True, A: True},
    ("delete_selected", "spare"): {V: False, C: False, E: True, A: True},
    ("delete_selected", "secret org"): {V: False, C: False, E: False, A: True},
    ("mark_resolved", "secret conflict"): {V: False, C: False, E: False, A: True},
    ("undo_merges", "secret merge"): {V: False, C: False, E: False, A: True},
}


@pytest.mark.parametrize("role", ROLES)
def test_actions_change_only_what_the_role_may(role, world):
    client = _client(world, role)
    org_list = reverse("admin:registry_organization_changelist")
    done = {}

    other = world.open["other_draft"]
    client.post(org_list, {"action": "publish_drafts", "_selected_action": [other.pk]})
    other.refresh_from_db()
    done[("publish_drafts", "other_draft")] = not other.draft

    conflict = world.secret["ingest.importconflict"]
    client.post(
        reverse("admin:ingest_importconflict_changelist"),
        {"action": "mark_resolved", "_selected_action": [conflict.pk]},
    )
    done[("mark_resolved", "secret conflict")] = ImportConflict.objects.filter(
        pk=conflict.pk, resolved=True
    ).exists()

    merged = world.secret["ingest.merge"]
    if Merge.objects.filter(pk=merged.pk).exists():
        client.post(
            reverse("admin:ingest_merge_changelist"),
            {"action": "undo_merges", "_selected_action": [merged.pk]},
        )
    done[("undo_merges", "secret merge")] = Merge.objects.filter(
        pk=merged.pk, undone__isnull=False
    ).exists()

    for target, org in (
        ("spare", world.open["spare"]),
        ("secret org", world.secret["registry.organization"]),
    ):
        # what the role may delete, once nothing takes part through it (see the next test)
        Participation.objects.filter(organization=org).delete()
        client.post(
            org_list, {"action": "delete_selected", "_selected_action": [org.pk], "post": "yes"}
        )
        done[("delete_selected", target)] = not Organization.objects.filter(pk=org.pk).exists()

    wanted = {key: outcome[role] for key, outcome in ACTIONS.items()}
    assert done == wanted


def test_an_actor_who_takes_part_is_not_deleted_with_its_participations(world, demo):
    """An editor's bulk delete of a partner would have taken its participations with it
    (an activity's funder gone, silently): it is refused, as the API's DELETE is (409)."""
    inca = Organization.objects.get(acronym="INCa")
    taking_part = inca.participations.count()
    assert taking_part
    response = _client(world, A).post(
        reverse("admin:registry_organization_changelist"),
        {"action": "delete_selected", "_selected_action": [inca.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the confirmation, naming what protects it
    assert "participation" in response.content.decode().lower()
    assert Organization.objects.filter(pk=inca.pk).exists()
    assert inca.participations.count() == taking_part


def test_an_action_on_rows_the_role_may_not_change_does_nothing(world):
    """A contributor selects its own draft and a published record: nothing is done."""
    client = _client(world, C)
    own, spare = world.open["own_draft"], world.open["spare"]
    response = client.post(
        reverse("admin:registry_organization_changelist"),
        {"action": "delete_selected", "_selected_action": [own.pk, spare.pk], "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert Organization.objects.filter(pk__in=[own.pk, spare.pk]).count() == 2


#: Spreadsheet import (finding 1), as the admin runs it (with the user): row -> written?
IMPORTS = {
    "rename the public record": {C: False, E: True, A: True},
    "make the secret record public": {C: False, E: False, A: True},
    "adopt the secret record by its ROR id": {C: False, E: False, A: True},
    "rename its own draft": {C: True, E: True, A: True},
    "a new public record": {C: False, E: True, A: True},
    "a new internal record": {C: True, E: True, A: True},
}


@pytest.mark.parametrize("role", (C, E, A))
def test_imported_rows_change_only_what_the_role_may(role, world):
    user = world.users[role]
    public, secret, own = (
        world.open["org"],
        world.secret["registry.organization"],
        world.open["own_draft"],
    )
    rows = {
        "rename the public record": [str(public.uid), "Renamed by import", "", "internal"],
        "make the secret record public": [str(secret.uid), secret.name, "", "public"],
        "adopt the secret record by its ROR id": ["", "Adopted", world.secret["ror"], "internal"],
        "rename its own draft": [str(own.uid), "Own draft renamed", "", "internal"],
        "a new public record": ["", f"New public {role}", "", "public"],
        "a new internal record": ["", f"New internal {role}", "", "internal"],
    }
    written = {}
    for what, row in rows.items():
        dataset = tablib.Dataset(row, headers=["id", "name", "ror", "visibility"])
        result = OrganizationResource().import_data(
            dataset, dry_run=False, raise_errors=False, use_transactions=True, user=user
        )
        written[what] = not (result.has_errors() or result.has_validation_errors())
    assert written == {what: outcome[role] for what, outcome in IMPORTS.items()}
    secret.refresh_from_db()
    if role != A:  # an administrator's rows made it public, then adopted it by its ROR id
        assert (secret.name, secret.visibility) == (f"{MARKER} Institute", "confidential")
    new = Organization.objects.get(name=f"New internal {role}")
    assert (new.owner, new.draft) == (user, role == C)


@pytest.mark.parametrize("role", [C, E])
def test_an_imported_row_is_never_told_of_a_record_its_user_may_not_read(role, world):
    """A row named like a confidential record is not asked "matches X?" about it (nor
    given its id) unless its user reads that record: it is a new record like any other."""
    for name in (f"{MARKER} Institut", f"{MARKER} Institute", MARKER):
        dataset = tablib.Dataset(["", name, "university"], headers=["id", "name", "kind"])
        result = OrganizationResource().import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            use_transactions=True,
            user=world.users[role],
        )
        told = " ".join(
            str(error) for row in result.invalid_rows for error in row.error.messages
        ) + " ".join(str(e.error) for row in result.row_errors() for e in row[1])
        assert str(world.secret["registry.organization"].uid) not in told
        assert f"«{MARKER} Institute»" not in told


#: The admin's Import page and its POST (finding 1): status per role.
IMPORT_PAGE = {V: 403, C: 200, E: 200, A: 200}


@pytest.mark.parametrize("role", ROLES)
def test_the_import_door_is_for_those_who_may_add_and_change(role, world):
    client = _client(world, role)
    page = client.get(reverse("admin:registry_organization_import"))
    assert page.status_code == IMPORT_PAGE[role]
    posted = client.post(reverse("admin:registry_organization_process_import"), {})
    assert (posted.status_code == 403) == (role == V)
    listing = client.get(reverse("admin:registry_organization_changelist")).content.decode()
    assert (reverse("admin:registry_organization_import") in listing) == (role != V)


#: Merging through the likely-duplicates page (finding 5): merged?
MERGES = {
    "the secret record into the public one": {V: False, C: False, E: False, A: True},
    "another's draft into the public one": {V: False, C: False, E: True, A: True},
}


@pytest.mark.parametrize("role", ROLES)
def test_merging_needs_the_right_to_read_and_change_both(role, world):
    client = _client(world, role)
    url = reverse("admin:ingest_merge_duplicates")
    public = world.open["org"]
    merged = {}
    for what, drop in (
        ("the secret record into the public one", world.secret["registry.organization"]),
        ("another's draft into the public one", world.open["other_draft"]),
    ):
        client.post(url, {"kind": "organization", "keep": public.pk, "drop": drop.pk})
        merged[what] = not Organization.objects.filter(pk=drop.pk).exists()
    assert merged == {what: outcome[role] for what, outcome in MERGES.items()}
    public.refresh_from_db()
    assert (MARKER in " ".join(public.names.values_list("value", flat=True))) == (role == A)


def test_undoing_a_merge_brings_back_the_owner_and_the_draft(world):
    from passerelle.ingest.merging import merge, undo

    keep, drop = world.open["spare"], world.open["other_draft"]
    record = merge(keep, drop, user=world.users[A])
    restored = undo(record, user=world.users[A])
    assert (restored.owner, restored.draft) == (world.users["other"], True)


#: What hangs off a published record, and what composes the public site (finding 6):
#: whether the role's POST was written.
HANGING = {
    "participation on the public activity": {V: False, C: False, E: True, A: True},
    "participation on its own draft activity": {V: False, C: True, E: True, A: True},
    "the public record's website": {V: False, C: False, E: True, A: True},
    "the public agreement's commitment": {V: False, C: False, E: True, A: True},
    "the public record's citation": {V: False, C: False, E: True, A: True},
    "the home page's introduction": {V: False, C: False, E: True, A: True},
    "a featured activity": {V: False, C: False, E: True, A: True},
    "an activity's headline on the page": {V: False, C: False, E: True, A: True},
    "a section's headline": {V: False, C: False, E: True, A: True},
}


@pytest.mark.parametrize("role", ROLES)
def test_what_shows_publicly_is_changed_by_editors(role, world):
    client = _client(world, role)
    public, lyon = world.open["org"], world.open["lyon"]
    written = {}

    for what, activity in (
        ("participation on the public activity", world.open["project"]),
        ("participation on its own draft activity", world.open["own_activity"]),
    ):
        before = Participation.objects.filter(activity=activity, place=lyon).count()
        client.post(
            reverse("admin:activities_participation_add"),
            {
                "activity": activity.pk,
                "organization": public.pk,
                "role": "partner",
                "place": lyon.pk,
                "visibility": "public",
                "core-citation-content_type-object_id-TOTAL_FORMS": "0",
                "core-citation-content_type-object_id-INITIAL_FORMS": "0",
            },
        )
        written[what] = Participation.objects.filter(activity=activity, place=lyon).count() > before

    website = world.open["website"]
    client.post(
        reverse("admin:registry_identifier_change", args=[website.pk]),
        {"scheme": "website", "value": "https://phishing.example.org", "organization": public.pk},
    )
    written["the public record's website"] = Identifier.objects.filter(
        value="https://phishing.example.org"
    ).exists()

    commitment = world.open["open_commitment"]
    client.post(
        reverse("admin:activities_commitment_change", args=[commitment.pk]),
        {
            "agreement": world.open["open_agreement"].pk,
            "area": "joint_events",
            "text_en": "Rewritten",
            "position": "0",
        },
    )
    commitment.refresh_from_db()
    written["the public agreement's commitment"] = commitment.text_en == "Rewritten"

    citation = world.open["open_citation"]
    client.post(
        reverse("admin:core_citation_change", args=[citation.pk]),
        {
            "source": citation.source_id,
            "content_type": citation.content_type_id,
            "object_id": citation.object_id,
            "quotation": "Rewritten",
            "locator": "",
        },
    )
    written["the public record's citation"] = Citation.objects.filter(
        pk=citation.pk, quotation="Rewritten"
    ).exists()

    introduction = world.open["introduction"]
    client.post(
        reverse("admin:portal_introduction_change", args=[introduction.pk]),
        {"page": "home", "language": "en", "text": "Defaced"},
    )
    written["the home page's introduction"] = Introduction.objects.filter(text="Defaced").exists()

    client.post(
        reverse("admin:portal_featuredactivity_add"),
        {"activity": world.open["open_agreement"].pk, "position": "3"},
    )
    written["a featured activity"] = FeaturedActivity.objects.filter(
        activity=world.open["open_agreement"]
    ).exists()

    client.post(
        reverse("admin:portal_activitywording_add"),
        {"activity": world.open["open_agreement"].pk, "headline_en": "Defaced", "headline_fr": ""},
    )
    written["an activity's headline on the page"] = ActivityWording.objects.filter(
        activity=world.open["open_agreement"], headline_en="Defaced"
    ).exists()

    section = world.open["section"]
    client.post(
        reverse("admin:portal_sectionsetting_change", args=[section.pk]),
        {"key": section.key, "position": "1", "shown": "on", "headline_en": "Defaced"},
    )
    written["a section's headline"] = SectionSetting.objects.filter(
        pk=section.pk, headline_en="Defaced"
    ).exists()

    assert written == {what: outcome[role] for what, outcome in HANGING.items()}


#: A public record's change page, and the lists: confidential names shown? (finding 8)
@pytest.mark.parametrize("role", ROLES)
def test_a_public_records_page_names_no_confidential_record(role, world):
    client = _client(world, role)
    public = world.open["org"]
    page = client.get(reverse("admin:registry_organization_change", args=[public.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert (MARKER in body) == (role == A)
    project = client.get(
        reverse("admin:activities_activity_change", args=[world.open["project"].pk])
    ).content.decode()
    assert (MARKER in project) == (role == A)
    topics = client.get(reverse("admin:activities_activity_changelist")).content.decode()
    assert (f"{MARKER} topic" in topics) == (role == A)  # the topic filter's choices
    identifiers = client.get(reverse("admin:registry_identifier_changelist")).content.decode()
    assert (SECRET_ORCID in identifiers) == (role == A)
    citations = client.get(reverse("admin:core_citation_changelist")).content.decode()
    assert (f"{MARKER} quote" in citations) == (role == A)


def test_saving_a_page_with_withheld_relations_keeps_them(world):
    """An editor who does not read the parent, the place and a topic saves the public
    record: they stay as they were."""
    client = _client(world, E)
    public = world.open["org"]
    url = reverse("admin:registry_organization_change", args=[public.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    assert not {"parent", "place", "topics"} & set(form.fields)
    data = {**_org_form("Open Org renamed"), "loaded_version": public.updated.isoformat()}
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = str(len(inline.formset.initial_forms))
        data[f"{prefix}-INITIAL_FORMS"] = str(len(inline.formset.initial_forms))
        for row in inline.formset.initial_forms:
            for name in row.fields:
                value = row[name].value()
                data[f"{row.prefix}-{name}"] = "" if value in (None, False) else value
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    public.refresh_from_db()
    assert public.name == "Open Org renamed"
    assert public.parent_id == world.secret["registry.organization"].pk
    assert public.place_id == world.secret["registry.place"].pk
    assert public.topics.count() == 2
    assert Citation.objects.filter(object_id=public.pk, quotation=f"{MARKER} quote").exists()


def test_a_user_who_is_not_active_staff_changes_nothing(world):
    editor = world.users[E]
    public = world.open["org"]
    assert authoring.may_change(editor, public)
    for change in ({"is_staff": False}, {"is_staff": True, "is_active": False}):
        get_user_model().objects.filter(pk=editor.pk).update(**change)
        editor = get_user_model().objects.get(pk=editor.pk)
        assert not authoring.may_change(editor, public)
        assert not Organization.objects.restrict(editor, "change").exists()
        assert set(Organization.objects.restrict(editor, "view")) == set(
            Organization.objects.filter(visibility="public")
        )


@pytest.mark.parametrize("role", [C, E, A])
def test_an_imported_row_names_only_the_topics_its_user_reads(role, world):
    """A confidential topic's short name in a row is "unknown", as a topic that does not
    exist is: the import neither tags with it nor tells that it exists."""
    told = {}
    for slug in ("zyxq-topic", "no-such-topic"):
        dataset = tablib.Dataset(
            ["", "project", f"Tagged {slug}", slug, "internal"],
            headers=["id", "kind", "title_en", "topics", "visibility"],
        )
        result = ActivityResource().import_data(
            dataset,
            dry_run=True,
            raise_errors=False,
            use_transactions=True,
            user=world.users[role],
        )
        told[slug] = " ".join(
            str(message) for row in result.invalid_rows for message in row.error.messages
        )
    if role == A:
        assert told["zyxq-topic"] == ""
    else:
        assert told["zyxq-topic"] == told["no-such-topic"].replace("no-such-topic", "zyxq-topic")
    assert "unknown topics: no-such-topic" in told["no-such-topic"]


#: An agreement's doors: whether the step went through for the role (the open agreement is
#: public and in force; the secret one is confidential, owned by the keeper).
AGREEMENT_STEPS = {
    "open": {V: False, C: False, E: True, A: True},
    "secret": {V: False, C: False, E: False, A: True},
}


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_an_agreements_steps_and_decisions_need_the_right_to_change_it(role, world):
    client = _client(world, role)
    done = {}
    for target, agreement, status, step in (
        ("open", world.open["open_agreement"], "terminated", "active"),
        ("secret", world.secret["activities.activity"], "draft", "under_review"),
    ):
        response = client.post(
            reverse("admin:activities_activity_lifecycle", args=[agreement.pk]),
            {"lifecycle_status": status, "lifecycle_reason": "door test"},
        )
        agreement.refresh_from_db()
        done[target] = agreement.status == status
        assert response.status_code in (302, 403, 404)
        assert done[target] or agreement.status == step  # nothing written when refused
    assert done == {key: outcome[role] for key, outcome in AGREEMENT_STEPS.items()}
    project = world.open["project"]
    response = client.post(
        reverse("admin:activities_activity_fulfilment", args=[world.open["open_agreement"].pk]),
        {
            "commitment": world.open["open_commitment"].pk,
            "activity": project.pk,
            "decision": "reject",
        },
    )
    rejected = ActivityLink.objects.filter(subject=project, relation="not_fulfils").exists()
    assert rejected == (role in (E, A)), response.status_code
    renew = reverse(
        "admin:activities_activity_renew", args=[world.secret["activities.activity"].pk]
    )
    assert client.post(renew).status_code == (302 if role == A else 404)
