"""Every door the back office has, walked as each role over planted confidential records.

The walk enumerates every URL the admin site registers (each ModelAdmin's own,
the site's, and those of third-party admins) and every admin action, and fails
on one that is not in the tables below: a new door cannot be added untested.
For each role it opens every door with the planted confidential row of the
model as the object, and checks the status written out here by hand and that no
page a role other than administrator may open shows a confidential marker.
The writes (revert, actions, import, merge, related rows) are in
test_door_writes.py; the API's matrix in test_permission_matrix.py.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import URLResolver, reverse

from passerelle.registry.models import Organization
from passerelle.search.models import SearchEntry

from .doors_world import STAFF_ROLES

V, C, E, A = STAFF_ROLES  # viewer, contributor, editor, administrator
ALL = {V: 200, C: 200, E: 200, A: 200}
ADMIN_ONLY = {V: 403, C: 403, E: 403, A: 200}
NOBODY = {V: 403, C: 403, E: 403, A: 403}

#: The groups of models, each with the same expectations.
RECORDS = {
    "core.source",
    "registry.place",
    "registry.topic",
    "registry.organization",
    "registry.person",
    "activities.activity",
}
HANGING = {
    "core.citation",
    "registry.identifier",
    "activities.participation",
    "activities.commitment",
    "activities.agreementdocument",
    "activities.followup",
}
IMPORTED = {"ingest.importconflict", "ingest.externalrecord", "ingest.merge"}
#: The review queue of extraction: texts (records staff add) and their proposals (written by
#: the extraction, reviewed through actions, never added or deleted by hand).
REVIEW = {"ingest.submission", "ingest.proposal"}
EDITORIAL = {"portal.sectionsetting", "portal.introduction"}  # no confidential row: all readable
#: One row, made by its migration: read by all staff, changed by editors, never added or deleted.
SINGLE_ROW = {"portal.opendatasetting"}
#: Their planted rows feature, or word, a confidential activity.
FEATURED = {"portal.featuredactivity", "portal.activitywording"}
SEARCH = {"search.searchentry"}
ACCOUNTS = {
    "auth.user",
    "auth.group",
    "access.auditevent",
    "access.apitoken",
    "access.remindersent",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
#: Account models an administrator may not add to (written by the system), or delete from.
SYSTEM_WRITTEN = {
    "access.auditevent",
    "access.remindersent",
    "django_tasks_database.dbtaskresult",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
}
NOT_DELETED = {"access.auditevent", "access.apitoken"}  # the audit log; tokens are revoked
SPREADSHEETS = {
    "registry.organization",
    "registry.person",
    "activities.activity",
    "activities.participation",
}

HIDDEN = {V: 302, C: 302, E: 302, A: 200}  # the object does not exist for them
HIDDEN_HISTORY = {V: 404, C: 404, E: 404, A: 200}
ADD_RECORD = {V: 403, C: 200, E: 200, A: 200}
ADD_EDITORIAL = {V: 403, C: 403, E: 200, A: 200}
DELETE_HIDDEN = {V: 403, C: 403, E: 302, A: 200}  # no delete permission, then not found
DELETE_EDITORIAL = {V: 403, C: 403, E: 200, A: 200}


def expected(label: str, door: str) -> dict[str, int]:
    """The status of one door of one model for each role, as the policy states it."""
    if label in ACCOUNTS:
        if (door == "add" and label in SYSTEM_WRITTEN) or (
            door == "delete" and label in NOT_DELETED
        ):
            return NOBODY
        return ADMIN_ONLY
    if door == "changelist":
        return ALL
    if label in REVIEW:
        submission = label == "ingest.submission"
        return {
            "add": ADD_RECORD if submission else NOBODY,
            "delete": DELETE_HIDDEN if submission else NOBODY,
        }.get(door, HIDDEN)
    if label in SINGLE_ROW:
        return {"add": NOBODY, "delete": NOBODY}.get(door, ALL)
    if door == "add":
        if label in RECORDS | HANGING:
            return ADD_RECORD
        if label in EDITORIAL | FEATURED:
            return ADD_EDITORIAL
        return NOBODY  # imported rows, merges and search entries are written by Passerelle
    if door in ("import",):
        return ADD_RECORD
    if door == "process_import":
        return {V: 405, C: 405, E: 405, A: 405}  # a POST only (its permission: test_door_writes)
    if door == "export":
        return ALL
    if label in EDITORIAL:
        return {"delete": DELETE_EDITORIAL}.get(door, ALL)
    if label in SEARCH:
        return {"delete": NOBODY, "history": HIDDEN}.get(door, HIDDEN)
    if door == "change":
        return HIDDEN
    if door == "history":
        return HIDDEN if label in IMPORTED else HIDDEN_HISTORY
    if door == "simple_history":
        return HIDDEN_HISTORY
    if door == "delete":
        return DELETE_HIDDEN
    raise KeyError(door)


MODEL_DOORS = {"changelist", "add", "change", "delete", "history", "simple_history"}
SPREADSHEET_DOORS = {"import", "process_import", "export"}
#: Doors some ModelAdmin adds of its own: name -> (arguments, status per role).
CUSTOM_DOORS = {
    "ingest_merge_duplicates": ((), {V: 403, C: 200, E: 200, A: 200}),
    "ingest_merge_find_duplicates": ((), {V: 302, C: 302, E: 302, A: 302}),
    "search_match": ((), ALL),
    "activities_activity_exchange_figures": ((), ALL),  # what each reads, counted
    "auth_user_password_change": (("user",), ADMIN_ONLY),
    # an agreement's steps, renewal and fulfilment decisions: POSTs only (test_door_writes)
    "activities_activity_lifecycle": (("user",), {V: 405, C: 405, E: 405, A: 405}),
    "activities_activity_renew": (("user",), {V: 405, C: 405, E: 405, A: 405}),
    "activities_activity_fulfilment": (("user",), {V: 405, C: 405, E: 405, A: 405}),
    # a document's download, of no document here (test_agreements walks a real one)
    "activities_activity_download": (("user",), {V: 404, C: 404, E: 404, A: 404}),
}
#: The site's own doors: name -> (arguments, query string, status per role).
SITE_DOORS = {
    "index": ((), "", ALL),
    "login": ((), "", {V: 302, C: 302, E: 302, A: 302}),  # signed in: to the index
    "logout": ((), "", {V: 405, C: 405, E: 405, A: 405}),  # a POST only
    "password_change": ((), "", ALL),
    "password_change_done": ((), "", ALL),
    "autocomplete": (
        (),
        "?app_label=registry&model_name=organization&field_name=parent&term=ZYXQ",
        ALL,
    ),
    "jsi18n": ((), "", ALL),
    "view_on_site": (("content_type", "organization"), "", {V: 404, C: 404, E: 404, A: 404}),
    "app_list": (("registry",), "", ALL),
    "search": ((), "?s=zyxq", ALL),
    "desk": ((), "", ALL),  # the desk whole (core/deskpage.py); the index leads with it
    "figures": ((), "", ALL),  # the figures of what each reads (insights/figures_admin.py)
    "annual-report": ((), "", ALL),  # the form; a report tells public records only
    "insights": ((), "", ALL),  # the network measured (insights/pages.py): staff scope only
}
#: Every admin action, with where test_door_writes.py plays it.
ACTIONS = {
    "delete_selected": "test_actions_change_only_what_the_role_may",
    "publish_drafts": "test_actions_change_only_what_the_role_may",
    "mark_resolved": "test_actions_change_only_what_the_role_may",
    "undo_merges": "test_actions_change_only_what_the_role_may",
    "revoke": "administrators only (access.apitoken): ADMIN_ONLY",
    "cleanup_expired_attempts": "administrators only (axes): ADMIN_ONLY",
    "accept_selected": "test_extraction: test_the_review_queue_* and test_permission_matrix",
    "reject_selected": "test_extraction: test_the_review_queue_* and test_permission_matrix",
}


def admin_doors() -> list[tuple[str, str, object]]:
    """(url name, model label or "", model admin or None) for every door the admin has."""
    doors = []
    by_route = {
        f"{m._meta.app_label}/{m._meta.model_name}/": ma for m, ma in admin.site._registry.items()
    }
    for pattern in admin.site.get_urls():
        if isinstance(pattern, URLResolver):
            model_admin = by_route[str(pattern.pattern)]
            for sub in pattern.url_patterns:
                if sub.name:
                    doors.append((sub.name, model_admin.model._meta.label_lower, model_admin))
        elif pattern.name:
            doors.append((pattern.name, "", None))
    return doors


def _kind(name: str, label: str) -> str:
    prefix = label.replace(".", "_") + "_"
    return name[len(prefix) :] if label and name.startswith(prefix) else name


def test_every_door_and_every_action_is_in_the_matrix():
    unknown = []
    for name, label, _model_admin in admin_doors():
        kind = _kind(name, label)
        if not label:
            known = name in SITE_DOORS
        elif name in CUSTOM_DOORS:
            known = True
        elif kind in SPREADSHEET_DOORS:
            known = label in SPREADSHEETS
        else:
            known = kind in MODEL_DOORS and _is_grouped(label)
        if not known:
            unknown.append(f"{name} ({label or 'site'})")
    for model, model_admin in admin.site._registry.items():
        for action in _actions(model_admin):
            if action not in ACTIONS:
                unknown.append(f"action {action} of {model._meta.label_lower}")
    assert not unknown, "doors not in the matrix: " + ", ".join(unknown)


def _is_grouped(label: str) -> bool:
    return any(
        label in group
        for group in (
            RECORDS,
            HANGING,
            IMPORTED,
            REVIEW,
            EDITORIAL,
            SINGLE_ROW,
            FEATURED,
            SEARCH,
            ACCOUNTS,
        )
    )


def _actions(model_admin) -> set[str]:
    names = {a if isinstance(a, str) else a.__name__ for a in model_admin.actions or []}
    names |= set(admin.site._actions)  # the site's own: delete_selected
    for attribute in ("actions_list", "actions_row", "actions_detail", "actions_submit_line"):
        names -= set(getattr(model_admin, attribute, None) or [])  # their own URLs, walked
    return {n for n in names if not n.startswith("_")}


def _object_of(label: str, world, model_admin):
    if label in world.secret:
        return world.secret[label]
    if label == "search.searchentry":
        org = world.secret["registry.organization"]
        return SearchEntry.objects.get(
            content_type=ContentType.objects.get_for_model(org), object_id=org.pk
        )
    if label == "portal.sectionsetting":
        return world.open["section"]
    if label == "portal.introduction":
        return world.open["introduction"]
    if label == "portal.opendatasetting":
        row = model_admin.model.current()
        row.save()  # its migration made it without a version: give its history one
        return row
    if label == "auth.user":
        return world.users["keeper"]
    row = model_admin.model._default_manager.order_by("pk").first()
    if row is None:
        row = _an_account_row(label, world)
    return row


def _an_account_row(label: str, world):
    from django.contrib.auth.models import Group

    from passerelle.access.models import ApiToken, AuditEvent

    if label == "auth.group":
        return Group.objects.first()
    if label == "access.apitoken":
        return ApiToken.issue(world.users["keeper"], "doors")[0]
    if label == "access.auditevent":
        return AuditEvent.objects.create(action="login", username="door-keeper")
    return None  # a table Passerelle leaves empty here (tasks, axes): only its list is walked


def _args(name: str, label: str, pattern_args: int, obj, world) -> list | None:
    kind = _kind(name, label)
    if kind in ("changelist", "add", "import", "process_import", "export"):
        return []
    if obj is None:
        return None
    if kind == "simple_history":
        return [obj.pk, obj.history.latest().history_id]
    return [obj.pk]


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_every_door_as_every_role(role, world):
    client = Client()
    client.force_login(world.users[role])
    markers = world.markers()
    wrong: list[str] = []
    walked = 0
    for name, label, model_admin in admin_doors():
        query = ""
        if not label:
            args, query, statuses = SITE_DOORS[name]
            args = [_site_arg(a, world) for a in args]
        elif name in CUSTOM_DOORS:
            args, statuses = CUSTOM_DOORS[name]
            args = [world.users["keeper"].pk for _ in args]
        else:
            obj = _object_of(label, world, model_admin)
            args = _args(name, label, 0, obj, world)
            if args is None:
                continue
            statuses = expected(label, _kind(name, label))
        response = client.get(reverse(f"admin:{name}", args=args) + query)
        walked += 1
        if response.status_code != statuses[role]:
            wrong.append(f"{role} · {name}: got {response.status_code}, expected {statuses[role]}")
        if role != A and response.status_code == 200:
            body = response.content.decode(errors="replace")
            shown = [m for m in markers if m in body]
            if shown:
                wrong.append(f"{role} · {name}: shows {', '.join(shown)}")
    assert walked > 100
    assert not wrong, "\n".join(wrong)


def _site_arg(arg: str, world):
    if arg == "content_type":
        return ContentType.objects.get_for_model(world.secret["registry.organization"]).pk
    if arg == "organization":
        return world.secret["registry.organization"].pk
    return arg


@pytest.mark.parametrize("name", ["organization list", "activity list", "organization detail"])
def test_an_editors_pages_cost_what_an_administrators_do(client, demo, grow_network, name):
    """The restriction is a condition in the query (a join or an EXISTS), not a loop: an
    editor's pages stay within the pinned budgets, plus the role's permission lookups,
    and do not grow with the data."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from passerelle.access.roles import ensure_roles

    from .backoffice_pages import PAGES, QUERY_BUDGET, _queries

    ensure_roles()
    editor = get_user_model().objects.create_user("budget-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    url = dict(PAGES)[name]
    before = _queries(client, url())
    assert before <= QUERY_BUDGET[name] + 6, f"{name}: {before} queries"
    grow_network(30)
    after = _queries(client, url())  # a first page also fills caches (content types)
    assert after <= before, f"{name}: {before} queries, then {after} with more data"


@pytest.mark.parametrize("role, counted", [(V, 1), (E, 1), (A, 2)])
def test_an_actors_participations_are_counted_as_its_user_reads_them(role, counted, world):
    """The open organization takes part in an open project and in a confidential agreement:
    a count of 2 would tell a non-reader that it works on something hidden."""
    client = Client()
    client.force_login(world.users[role])
    public = Organization.objects.get(name="Open Org")
    listing = client.get(reverse("admin:registry_organization_changelist") + "?q=Open+Org")
    page = client.get(reverse("admin:registry_organization_change", args=[public.pk]))
    link = f'?organization__id__exact={public.pk}">{counted}</a>'
    assert link in listing.content.decode() and link in page.content.decode()


@pytest.mark.parametrize("role", [V, E, A])
def test_an_exported_sheet_names_only_the_related_records_its_user_reads(role, world):
    """The open organization's city and one of its topics are confidential: its row in a
    viewer's or a non-reading editor's sheet leaves them out; the administrator's has them."""
    client = Client()
    client.force_login(world.users[role])
    url = reverse("admin:registry_organization_export")
    formats = client.get(url).context["form"].fields["format"].choices
    csv = next(value for value, label in formats if str(label).lower() == "csv")
    sheet = client.post(url, {"format": csv, "resource": "0"}).content.decode("utf-8-sig")
    row = next(line for line in sheet.splitlines() if ",Open Org," in line)
    assert ("ZYXQ" in row) == (role == A), row
    assert ("ZYXQ" in sheet) == (role == A)
