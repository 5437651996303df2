"""Every role × every endpoint × every visibility: who reads, changes and deletes what.

The expected outcomes are written out below as the policy states them (README,
access/roles.py), not computed from the code under test: a change to the
visibility rule that lets one more role read one more kind of record fails
here with the role, the endpoint and the record named.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from passerelle.access.models import ApiToken
from passerelle.access.roles import ensure_roles
from passerelle.activities.models import Activity
from passerelle.api.writes import version_of
from passerelle.core.models import Source
from passerelle.registry.models import Affiliation, Organization, Person, Place, Topic

#: The states a record can be in, for a given reader.
STATES = ("public", "internal", "confidential", "named", "draft_own", "draft_other")
ROLES = ("anonymous", "viewer", "contributor", "editor", "administrator")

STAFF_READ = {"public", "internal", "named", "draft_own", "draft_other"}
READS = {
    "anonymous": {"public"},
    "viewer": STAFF_READ,
    "contributor": STAFF_READ,
    "editor": STAFF_READ,
    "administrator": set(STATES),
}
CHANGES = {
    "anonymous": set(),
    "viewer": set(),
    "contributor": {"draft_own"},
    "editor": STAFF_READ,
    "administrator": set(STATES),
}
DELETES = {
    "anonymous": set(),
    "viewer": set(),
    "contributor": set(),
    "editor": STAFF_READ,
    "administrator": set(STATES),
}
#: Whether the role holds the model permission at all (the API says 403 before looking).
MAY_CHANGE_SOME = {"contributor", "editor", "administrator"}
MAY_DELETE_SOME = {"editor", "administrator"}


def _visibility(state: str) -> str:
    return {"public": "public", "confidential": "confidential", "named": "confidential"}.get(
        state, "internal"
    )


# collection -> (model, admin path, portal url name and key, one record's fields, PUT body)
COLLECTIONS = {
    "sources": (Source, "core/source", None, lambda n: {"title": n, "url": "https://x.org/"}),
    "places": (Place, "registry/place", None, lambda n: {"name_en": n, "country": "IT"}),
    "topics": (Topic, "registry/topic", ("topic", "slug"), lambda n: {"name_en": n, "slug": n}),
    "organizations": (
        Organization,
        "registry/organization",
        ("organization", "uid"),
        lambda n: {"name": n, "kind": "university"},
    ),
    "people": (Person, "registry/person", ("person", "uid"), lambda n: {"family_name": n}),
    "activities": (
        Activity,
        "activities/activity",
        ("activity", "uid"),
        lambda n: {"title_en": n, "kind": "project"},
    ),
}


@pytest.fixture
def users(db):
    ensure_roles()
    make = get_user_model().objects.create_user
    accounts = {}
    for role in ROLES[1:]:
        user = make(role, password="pw-matrix-1", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        accounts[role] = user
    accounts["other"] = make("other-contributor", is_staff=True)
    return accounts


def _records(collection: str, role: str, users: dict) -> dict:
    model, _admin, _portal, fields = COLLECTIONS[collection]
    user = users.get(role)
    records = {}
    for state in STATES:
        name = f"matrix-{state}-{collection}"
        owner = {"draft_own": user, "draft_other": users["other"]}.get(state)
        record = model.objects.create(
            **fields(name),
            visibility=_visibility(state),
            draft=state.startswith("draft"),
            owner=owner,
        )
        if state == "named" and user is not None:
            record.readers.create(user=user)
        records[state] = record
    return records


def _client(role: str, users: dict) -> tuple[Client, dict]:
    """A browser session for the back office and a bearer token for the API."""
    client = Client()
    if role == "anonymous":
        return client, {}
    client.force_login(users[role])
    _token, secret = ApiToken.issue(users[role], "matrix")
    return client, {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _api_status(role: str, state: str, allowed: dict, needs_permission: set) -> int:
    if role == "anonymous":
        return 401
    if role not in needs_permission:
        return 403
    if state not in READS[role]:
        return 404
    return 0 if state in allowed[role] else 403  # 0: the success code of the operation


@pytest.mark.parametrize("collection", COLLECTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, collection, users):
    model, admin_path, portal, fields = COLLECTIONS[collection]
    records = _records(collection, role, users)
    client, token = _client(role, users)
    wrong: list[str] = []

    def expect(what: str, state: str, got, wanted) -> None:
        if got != wanted:
            wrong.append(f"{role} · {what} · {state} record: got {got}, expected {wanted}")

    listed = client.get(f"/api/{collection}/?limit=500&q=matrix-", **token).json()["items"]
    listed_ids = {item["id"] for item in listed}
    changelist = client.get(f"/en/admin/{admin_path}/?q=matrix-")
    for state, record in records.items():
        reads = state in READS[role]
        expect("API list", state, str(record.uid) in listed_ids, reads)
        detail = client.get(f"/api/{collection}/{record.uid}", **token)
        expect("API detail", state, detail.status_code, 200 if reads else 404)
        history = client.get(f"/api/{collection}/{record.uid}/history", **token)
        expect(
            "API history",
            state,
            history.status_code,
            403 if role == "anonymous" else 200 if reads else 404,
        )
        change_url = f"/en/admin/{admin_path}/{record.pk}/change/"
        if role == "anonymous":
            expect("admin list", state, changelist.status_code, 302)
        else:
            expect("admin list", state, change_url in changelist.content.decode(), reads)
            page = client.get(change_url)
            expect("admin page", state, page.status_code, 200 if reads else 302)
            if reads:
                editable = 'name="_save"' in page.content.decode()
                expect("admin page editable", state, editable, state in CHANGES[role])
        if portal:
            name, key = portal
            url = reverse(f"portal:{name}", kwargs={key: getattr(record, key)})
            expect(
                "portal page", state, client.get(url).status_code, 200 if state == "public" else 404
            )

    for state, record in records.items():
        record.refresh_from_db()
        body = {**fields(f"matrix-{state}-{collection}"), "visibility": _visibility(state)}
        put = client.put(
            f"/api/{collection}/{record.uid}",
            body,
            content_type="application/json",
            HTTP_IF_MATCH=version_of(record),
            **token,
        )
        wanted = _api_status(role, state, CHANGES, MAY_CHANGE_SOME) or 200
        expect("API replace", state, put.status_code, wanted)
        deleted = client.delete(f"/api/{collection}/{record.uid}", **token)
        wanted = _api_status(role, state, DELETES, MAY_DELETE_SOME) or 204
        expect("API delete", state, deleted.status_code, wanted)
        expect(
            "record still there", state, model.objects.filter(pk=record.pk).exists(), wanted != 204
        )

    assert not wrong, "\n".join(wrong)


def test_a_public_persons_affiliation_to_a_confidential_organization_is_not_shown(world, client):
    """The API answers the interchange shape, whose references are to readable records only:
    an anonymous reader learns neither the organization's id nor that there is one."""
    secret = world.secret["registry.organization"]
    person = Person.objects.create(family_name="Openperson", visibility="public")
    Affiliation.objects.create(person=person, organization=secret)
    body = client.get(f"/api/people/{person.uid}").json()
    assert body["family_name"] == "Openperson"
    assert str(secret.uid) not in str(body) and not body.get("affiliations")


@pytest.mark.parametrize("role", ROLES)
def test_commitment_checks_answer_what_the_role_reads(role, users):
    """/api/commitments and /api/agreements/{id}/commitments: an agreement's commitments
    are judged for whoever reads the agreement, in each of its states."""
    records = {}
    for state in STATES:
        agreement = Activity.objects.create(
            kind="agreement",
            status="signed",
            title_en=f"matrix-{state}-agreement",
            visibility=_visibility(state),
            draft=state.startswith("draft"),
            owner={"draft_own": users.get(role), "draft_other": users["other"]}.get(state),
        )
        if state == "named" and role in users:
            agreement.readers.create(user=users[role])
        agreement.commitments.create(area="joint_events", text_en=f"matrix-{state}-promise")
        records[state] = agreement
    _session, token = _client(role, users)
    client = Client()
    listed = {e["agreement"]["title"] for e in client.get("/api/commitments", **token).json()}
    assert listed == {f"matrix-{s}-agreement" for s in READS[role]}
    for state, agreement in records.items():
        response = client.get(f"/api/agreements/{agreement.uid}/commitments", **token)
        assert response.status_code == (200 if state in READS[role] else 404), state


#: The review queue of extraction (ingest.submission_admin), per role: the list, the add page,
#: a submission posted, a proposal's page, and the accept and reject actions on another's text.
REVIEW_QUEUE = {
    # role: (list, add page, add posted, proposal page, accepts another's, rejects another's)
    "anonymous": (302, 302, False, 302, False, False),
    "viewer": (200, 403, False, 200, False, False),
    "contributor": (200, 200, True, 200, False, False),
    "editor": (200, 200, True, 200, True, True),
    "administrator": (200, 200, True, 200, True, True),
}


@pytest.mark.parametrize("role", ROLES)
def test_the_review_queue_answers_what_the_role_may(role, users):
    from passerelle.ingest.submissions import Proposal, Submission

    text = "The Institut Curie and the University of Milan signed a partnership agreement."
    others = Submission.objects.create(title="Another's", text=text, language="en")
    first = Proposal.objects.create(
        submission=others, type="organization", name="Institut Curie", fingerprint="a"
    )
    second = Proposal.objects.create(
        submission=others, type="organization", name="University of Milan", fingerprint="b"
    )
    client, _token = _client(role, users)
    wanted = REVIEW_QUEUE[role]
    proposals = reverse("admin:ingest_proposal_changelist")
    got = [
        client.get(reverse("admin:ingest_submission_changelist")).status_code,
        client.get(reverse("admin:ingest_submission_add")).status_code,
    ]
    client.post(reverse("admin:ingest_submission_add"), {"text": text, "title": "Mine"})
    got.append(Submission.objects.filter(title="Mine").exists())
    got.append(client.get(reverse("admin:ingest_proposal_change", args=[first.pk])).status_code)
    client.post(proposals, {"action": "accept_selected", "_selected_action": [first.pk]})
    client.post(proposals, {"action": "reject_selected", "_selected_action": [second.pk]})
    first.refresh_from_db()
    second.refresh_from_db()
    got += [first.status == "accepted", second.status == "rejected"]
    assert tuple(got) == wanted
    if role == "contributor":  # its own text: reviewed, and the record a draft it owns
        mine = Submission.objects.get(title="Mine")
        proposal = mine.proposals.get(name="Institut Curie")
        client.post(proposals, {"action": "accept_selected", "_selected_action": [proposal.pk]})
        record = Organization.objects.get(name="Institut Curie")
        assert (record.draft, record.owner) == (True, users["contributor"])


#: What the Insights page (insights/pages.py) names: the measures of what every member of
#: staff reads, the same for every staff role — never a confidential record, nor one a
#: role reads only as a named reader or as an administrator.
INSIGHTS_SHOWN = {"public", "internal", "draft_own", "draft_other"}


@pytest.mark.parametrize("role", ROLES)
def test_the_insights_page_answers_each_role(role, users):
    from passerelle.activities.models import Participation

    records = _records("organizations", role, users)
    activity = Activity.objects.create(
        kind="project", title_en="matrix-insights", visibility="public"
    )
    for record in records.values():
        Participation.objects.create(activity=activity, organization=record, role="partner")
    client, _token = _client(role, users)
    page = client.get("/en/admin/insights/")
    if role == "anonymous":
        assert page.status_code == 302  # to the sign-in
        return
    assert page.status_code == 200
    body = page.content.decode()
    shown = {state for state in STATES if f"matrix-{state}-organizations" in body}
    assert shown == INSIGHTS_SHOWN, role
    data = client.get("/en/admin/insights/?format=json").json()
    assert {b["name"] for b in data["brokers"]} == {
        f"matrix-{state}-organizations" for state in INSIGHTS_SHOWN
    }


def test_one_migrate_gives_each_role_the_permissions_of_apps_migrated_after_its_own(db):
    """``migrate`` creates an app's permissions after that app's migrations: the roles,
    set up after the access app's, must not wait for a second ``migrate`` to see those of
    the apps after it (search, login protection, background tasks)."""
    from django.contrib.auth.models import Permission

    from passerelle.access.roles import after_migrate

    Permission.objects.filter(content_type__app_label__in=["search", "axes"]).delete()
    after_migrate()  # the access app's post-migrate receiver
    administrator = Group.objects.get(name="administrator").permissions
    viewer = Group.objects.get(name="viewer").permissions
    assert administrator.filter(content_type__app_label="axes").exists()
    assert viewer.filter(codename="view_searchentry").exists()
    assert not viewer.filter(content_type__app_label="axes").exists()
