"""The desk: what needs action, from every registered source, for the user who reads it."""

from __future__ import annotations

import datetime

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from passerelle.activities.admin import KIND_INLINES, ActivityAdmin, CommitmentInline
from passerelle.activities.desk_sources import expiry_threshold
from passerelle.activities.models import Activity
from passerelle.core import changes, desk
from passerelle.core.desk import Attention, register_source
from passerelle.ingest.models import ImportConflict
from passerelle.registry.models import Organization

from .backoffice_pages import _queries
from .doors_world import make_users


def _today() -> datetime.date:
    return timezone.localdate()


def agreement(title: str, days: int, **fields) -> Activity:
    """An agreement in force ending ``days`` from today."""
    fields.setdefault("visibility", "public")
    fields.setdefault("status", "signed")
    fields.setdefault("end", (_today() + datetime.timedelta(days=days)).isoformat())
    return Activity.objects.create(kind="agreement", title_en=title, **fields)


@pytest.fixture
def users(db):
    return make_users()


@pytest.fixture
def saved_sources():
    kept = dict(desk._sources)
    yield
    desk._sources.clear()
    desk._sources.update(kept)


def _login(client, user):
    client.force_login(user)
    return client


def test_a_registered_source_is_listed_counted_and_linked(client, users, saved_sources):
    def parcels(user, today):
        for n in range(7):
            yield Attention(
                "parcels",
                f"parcel:{n}",
                f"Parcel number {n} <b>",
                f"/en/admin/parcel/{n}/",
                due=today + datetime.timedelta(days=n),
                severity="danger" if n == 6 else "info",
            )

    register_source("parcels", "Parcels at the lodge", parcels, order=1)
    page = _login(client, users["viewer"]).get(reverse("admin:index")).content.decode()
    assert "Parcels at the lodge" in page and "7 items" in page
    # the most urgent first, then by date; five on the index, then a link to them all
    assert page.index("Parcel number 6") < page.index("Parcel number 0")
    assert "Parcel number 4" not in page
    assert "Parcel number 6 &lt;b&gt;" in page  # escaped
    assert 'href="/en/admin/parcel/6/"' in page
    assert f'href="{reverse("admin:desk")}?source=parcels"' in page
    whole = client.get(reverse("admin:desk") + "?source=parcels").content.decode()
    assert all(f"Parcel number {n}" in whole for n in range(7))
    assert "Drafts awaiting an editor" not in whole  # one source asked: only it


def test_a_failing_source_does_not_take_the_desk_down(client, users, saved_sources):
    def broken(user, today):
        raise RuntimeError("boom")

    register_source("broken", "Broken list", broken, order=1)
    response = _login(client, users["editor"]).get(reverse("admin:index"))
    assert response.status_code == 200
    assert "could not be drawn up" in response.content.decode()


def test_a_cached_source_is_asked_again_only_when_records_or_rights_change(
    client, users, saved_sources
):
    asked = []

    def pacts(user, today):
        asked.append(user.username)
        readable = Activity.objects.restrict(user, "view").filter(kind="agreement")
        for pact in readable:
            yield Attention("pacts", f"pact:{pact.pk}", pact.title_en, "/en/admin/")

    register_source("pacts", "Pacts to watch", pacts, order=1, cached=True)
    agreement("Open pact", 10)
    editor, viewer = users["editor"], users["viewer"]
    assert [i.label for i in desk.gather(editor)[0].items] == ["Open pact"]
    desk.gather(editor)
    assert asked == ["door-editor"]  # the second desk is the first's
    desk.gather(viewer)
    assert asked == ["door-editor", "door-viewer"]  # another reader: asked for them
    agreement("Secret pact", 10, visibility="confidential", owner=users["keeper"])
    assert [i.label for i in desk.gather(editor)[0].items] == ["Open pact"]  # a record changed
    assert asked.count("door-editor") == 2
    users["keeper"] = type(editor).objects.get(pk=users["keeper"].pk)
    assert {i.label for i in desk.gather(users["keeper"])[0].items} == {"Open pact", "Secret pact"}
    editor.groups.clear()  # rights changed, no record did: not the editor's old list
    editor = type(editor).objects.get(pk=editor.pk)
    desk.gather(editor)
    assert asked.count("door-editor") == 3


def test_after_an_edit_a_slow_source_shows_its_last_list_while_a_task_renews_it(
    client, users, saved_sources, monkeypatch
):
    asked, queued = [], []

    def pacts(user, today):
        asked.append(user.username)
        titles = Activity.objects.restrict(user, "view").filter(kind="agreement")
        return [Attention("pacts", f"pact:{p.pk}", f"Watch {p.title_en}", "/") for p in titles]

    register_source("pacts", "Pacts to watch", pacts, order=1, slow=True)
    agreement("Open pact", 10)
    _login(client, users["editor"]).get(reverse("admin:index"))  # the first desk waits
    worker = type("Queue", (), {"enqueue": staticmethod(lambda *task: queued.append(task))})
    monkeypatch.setattr(desk, "draw_up_desk_source", worker)
    agreement("Second pact", 10)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Watch Second pact" not in page and "the list is being brought up to date" in page
    client.get(reverse("admin:index"))
    mine = [task for task in queued if task[0] == "pacts"]
    assert asked == ["door-editor"] and len(mine) == 1  # asked once per version
    monkeypatch.undo()
    for task in queued:  # the worker's turn
        desk.draw_up_desk_source.call(*task)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Watch Second pact" in page and "being brought up to date" not in page


def test_an_unknown_source_is_a_clear_404(client, users):
    response = _login(client, users["viewer"]).get(reverse("admin:desk") + "?source=nope")
    assert response.status_code == 404
    assert "The desk has no list named “nope”" in response.content.decode()


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (200, None),
        (180, ("180", "info")),
        (91, ("180", "info")),
        (90, ("90", "warning")),
        (30, ("30", "danger")),
        (0, ("30", "danger")),
        (-1, ("ended", "danger")),
        (-91, None),
    ],
)
def test_agreement_thresholds(days, expected):
    assert expiry_threshold(days) == expected


def test_agreements_ending_each_role_sees_what_it_reads(client, users):
    keeper = users["keeper"]
    agreement("Open pact with Turin", 20)
    agreement("Internal pact with Kyoto", 100, visibility="internal")
    agreement("Secret pact ZYXQ", 10, visibility="confidential", owner=keeper)
    agreement("Far pact with Oslo", 400)
    agreement("Ended pact with Porto", -10)
    agreement("Expired already", 20, status="expired")
    renewed = agreement("Renewed pact with Lima", 15)
    renewal = agreement("Renewal with Lima", 900)
    renewal.links_out.create(relation="renews", object=renewed)
    agreement("Year-only pact", 0, end=str(_today().year + 5))
    for role in ("viewer", "contributor", "editor", "administrator"):
        page = _login(client, users[role]).get(reverse("admin:desk")).content.decode()
        assert "Open pact with Turin" in page and "Internal pact with Kyoto" in page, role
        assert "Ended pact with Porto" in page, role
        for absent in ("Far pact", "Expired already", "Renewed pact", "Year-only"):
            assert absent not in page, (role, absent)
        assert ("ZYXQ" in page) == (role == "administrator"), role
    assert "ZYXQ" in _login(client, keeper).get(reverse("admin:desk")).content.decode()


def test_an_end_known_to_the_month_ends_on_its_last_day(client, users):
    today = _today()
    month = (today.replace(day=1) + datetime.timedelta(days=40)).replace(day=1)
    agreement("Monthly pact", 0, end=month.strftime("%Y-%m"))
    page = _login(client, users["viewer"]).get(reverse("admin:desk")).content.decode()
    assert "Monthly pact" in page
    last = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    assert f'datetime="{last.isoformat()}"' in page


def test_drafts_await_the_editors_who_may_publish_them(client, users):
    contributor = users["contributor"]
    draft = Organization.objects.create(
        name="Draft Institute of Nantes", kind="university", draft=True, owner=contributor
    )
    Organization.objects.create(
        name="Hidden draft ZYXQ",
        kind="university",
        draft=True,
        owner=users["keeper"],
        visibility="confidential",
    )
    url = reverse("admin:registry_organization_change", args=[draft.pk])
    for role, shown in (
        ("viewer", False),
        ("contributor", False),
        ("editor", True),
        ("administrator", True),
    ):
        page = _login(client, users[role]).get(reverse("admin:index")).content.decode()
        assert ("Draft Institute of Nantes" in page) == shown, role
        assert (f'href="{url}"' in page) == shown, role
        assert ("ZYXQ" in page) == (role == "administrator"), role


def test_import_conflicts_are_grouped_by_organization_and_restricted(client, users):
    open_org = Organization.objects.create(name="Lyon Institute", kind="university")
    secret = Organization.objects.create(
        name="ZYXQ Secret Lab", kind="university", visibility="confidential", owner=users["keeper"]
    )
    for field in ("name", "website"):
        ImportConflict.objects.create(organization=open_org, field=field, ours="a", theirs="b")
    ImportConflict.objects.create(organization=open_org, field="acronym", resolved=True)
    ImportConflict.objects.create(organization=secret, field="name", ours="a", theirs="b")
    page = _login(client, users["viewer"]).get(reverse("admin:desk")).content.decode()
    assert "Lyon Institute: the registry (ROR) changed name, website" in page
    assert "acronym" not in page and "ZYXQ" not in page
    assert f"organization__id__exact={open_org.pk}&amp;resolved__exact=0" in page


def test_the_desk_costs_the_same_queries_however_much_there_is(client, demo, grow_network):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from passerelle.access.roles import ensure_roles

    ensure_roles()
    editor = get_user_model().objects.create_user("desk-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    agreement("First pact", 20)
    Organization.objects.create(name="First draft", kind="university", draft=True)
    index, whole = reverse("admin:index"), reverse("admin:desk")
    _queries(client, index)  # a first page fills caches (content types, the session)

    def computed(url):  # a cached source computed afresh, as after any edit
        changes.records_changed()
        return _queries(client, url)

    before = (computed(index), computed(whole))
    grow_network(30)
    for n in range(30):
        agreement(f"Pact {n}", n * 5)
        Organization.objects.create(name=f"Draft {n}", kind="university", draft=True)
        org = Organization.objects.create(name=f"Conflicted {n}", kind="university")
        ImportConflict.objects.create(organization=org, field="name", ours="a", theirs="b")
    after = (computed(index), computed(whole))
    assert after[0] <= before[0] and after[1] <= before[1], (before, after)
    # 34 and 32 on SQLite today, each source drawn up afresh: the sources' (agreements 1,
    # the commitment checker's, follow-ups, rotations, drafts 6, conflicts 1), the cached
    # sources' keys (the reader's rights) and the page's own (session, user, permissions,
    # the history box)
    assert before[0] <= 36 and before[1] <= 34, before


def test_the_desk_speaks_french(client, users):
    agreement("Pacte ouvert avec Turin", 20)
    page = _login(client, users["viewer"]).get("/fr/admin/").content.decode()
    assert "Accords arrivant à échéance" in page
    assert "dans 20 jours" in page
    assert "Le bureau" in page


def test_each_kind_gets_its_own_inlines(users, saved_inlines):
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(Activity)
    assert isinstance(model_admin, ActivityAdmin)
    request = RequestFactory().get("/")
    request.user = users["administrator"]
    agreement_row = agreement("Pact with inlines", 300)
    delegation = Activity.objects.create(kind="delegation", title_en="Visit")
    assert CommitmentInline in model_admin.get_inlines(request, agreement_row)
    assert CommitmentInline not in model_admin.get_inlines(request, delegation)

    class VisitAgendaInline(CommitmentInline):
        pass

    KIND_INLINES["delegation"].append(VisitAgendaInline)
    inlines = model_admin.get_inlines(request, delegation)
    assert VisitAgendaInline in inlines
    # after the participations and the kind's own (a delegation's agenda and follow-ups)
    assert inlines.index(VisitAgendaInline) == len(KIND_INLINES["delegation"])
    assert VisitAgendaInline not in model_admin.get_inlines(request, agreement_row)


@pytest.fixture
def saved_inlines():
    kept = {kind: list(inlines) for kind, inlines in KIND_INLINES.items()}
    yield
    KIND_INLINES.clear()
    KIND_INLINES.update(kept)


def test_an_agreement_page_shows_its_commitments_and_a_delegations_does_not(client, users):
    client.force_login(users["administrator"])
    pact = agreement("Pact with a page", 300)
    visit = Activity.objects.create(kind="delegation", title_en="Visit from Kyoto")
    pact_page = client.get(reverse("admin:activities_activity_change", args=[pact.pk]))
    visit_page = client.get(reverse("admin:activities_activity_change", args=[visit.pk]))
    assert "commitments-TOTAL_FORMS" in pact_page.content.decode()
    assert "commitments-TOTAL_FORMS" not in visit_page.content.decode()
    assert 'name="status"' in pact_page.content.decode()
    assert 'name="direction"' in visit_page.content.decode()
    assert 'name="status"' not in visit_page.content.decode()
