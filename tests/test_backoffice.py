"""The back office: every page works, query counts stay bounded, history is kept and revertible."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from passerelle.activities.models import Activity, Participation
from passerelle.core.models import Source
from passerelle.registry.models import Organization, Person, Place, Topic

from .backoffice_pages import PAGES, QUERY_BUDGET, _empty_inlines, _form_value, _queries

ADMIN_MODELS = [
    ("registry", "organization", Organization),
    ("registry", "person", Person),
    ("registry", "place", Place),
    ("registry", "topic", Topic),
    ("activities", "activity", Activity),
    ("activities", "participation", Participation),
    ("core", "source", Source),
]


def test_back_office_needs_a_login(client, demo):
    response = client.get(reverse("admin:registry_organization_changelist"))
    assert response.status_code == 302 and "/login/" in response["Location"]


@pytest.mark.parametrize(("app", "model_name", "model"), ADMIN_MODELS)
def test_every_list_add_change_and_history_page_renders(staff_client, demo, app, model_name, model):
    obj = model.objects.order_by("pk").first()
    for view, args in (
        ("changelist", []),
        ("add", []),
        ("change", [obj.pk]),
        ("history", [obj.pk]),
    ):
        response = staff_client.get(reverse(f"admin:{app}_{model_name}_{view}", args=args))
        assert response.status_code == 200, (view, response.status_code)


def test_lists_search_and_filter(staff_client, demo):
    url = reverse("admin:registry_organization_changelist")
    response = staff_client.get(url, {"q": "CIRC"})  # IARC's French acronym, an other name
    assert "International Agency for Research on Cancer" in response.content.decode()
    response = staff_client.get(url, {"q": "0316ej306"})  # a ROR id
    assert "Weizmann Institute of Science" in response.content.decode()
    response = staff_client.get(
        reverse("admin:activities_activity_changelist"), {"kind__exact": "agreement"}
    )
    body = response.content.decode()
    assert "Weizmann" in body and "Nano2Life" not in body


@pytest.mark.parametrize(("name", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_query_count_is_pinned_and_does_not_grow_with_the_data(
    staff_client, demo, grow_network, name, url
):
    before = _queries(staff_client, url())
    assert before <= QUERY_BUDGET[name], f"{name}: {before} queries"
    grow_network(30)
    after = _queries(staff_client, url())
    if name == "activity detail":  # now 64 participations: listed by link, not inline
        assert after <= before, f"{name}: {before} queries, then {after} with more data"
    else:
        assert after == before, f"{name}: {before} queries, then {after} with more data"


def test_an_activity_with_many_participations_links_to_them(staff_client, demo, grow_network):
    grow_network(30)
    activity = Activity.objects.get(title_en__contains="with Milan")
    page = staff_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    body = page.content.decode()
    assert "64 participations" in body
    assert f"?activity__id__exact={activity.pk}" in body
    assert not any(i.formset.model is Participation for i in page.context["inline_admin_formsets"])


def test_a_change_is_kept_with_who_and_when_and_can_be_reverted(staff_client, staff, demo):
    iarc = Organization.objects.get(acronym="IARC")
    versions = iarc.history.count()  # the demo's own (its load may write two)
    url = reverse("admin:registry_organization_change", args=[iarc.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {name: _form_value(form, name) for name in form.fields}
    data.update(_empty_inlines(staff_client.get(url).context["inline_admin_formsets"]))
    data["name"] = "Agence internationale"
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    iarc.refresh_from_db()
    assert iarc.name == "Agence internationale"
    latest, previous = iarc.history.all()[:2]
    assert latest.history_user == staff
    assert (previous.name, latest.name) == (
        "International Agency for Research on Cancer",
        "Agence internationale",
    )
    delta = latest.diff_against(previous)
    assert [change.field for change in delta.changes] == ["name"]
    assert latest.history_change_reason == "back office"  # not "None" on the history page

    revert_url = reverse(
        "admin:registry_organization_simple_history", args=[iarc.pk, previous.history_id]
    )
    page = staff_client.get(revert_url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: _form_value(form, name) for name in form.fields}
    data.update(_empty_inlines(page.context.get("inline_admin_formsets")))
    assert staff_client.post(revert_url, data).status_code == 302
    iarc.refresh_from_db()
    assert iarc.name == "International Agency for Research on Cancer"
    assert iarc.history.count() == versions + 2  # the edit, then the revert
    assert iarc.history.first().history_change_reason == "reverted in the back office"
    assert all(iarc.history.values_list("history_change_reason", flat=True))  # demo: "import"


def test_agreement_inline_refuses_fewer_than_two_parties(staff_client, demo):
    agreement = Activity.objects.get(title_en__contains="Weizmann")
    url = reverse("admin:activities_activity_change", args=[agreement.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {name: _form_value(form, name) for name in form.fields}
    data.update(_empty_inlines(page.context["inline_admin_formsets"]))
    prefix = next(
        i.formset.prefix
        for i in page.context["inline_admin_formsets"]
        if i.formset.model is Participation
    )
    data[f"{prefix}-0-DELETE"] = "on"
    data[f"{prefix}-1-DELETE"] = "on"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "needs at least two parties; it has 1" in response.content.decode()
    assert agreement.participations.filter(role="party").count() == 3


def test_inline_refuses_a_role_that_does_not_fit(staff_client, demo):
    seminar = Activity.objects.get(title_en="Franco-Chinese seminar (1st)")
    url = reverse("admin:activities_activity_change", args=[seminar.pk])
    page = staff_client.get(url)
    form = page.context["adminform"].form
    data = {name: _form_value(form, name) for name in form.fields}
    data.update(_empty_inlines(page.context["inline_admin_formsets"]))
    prefix = next(
        i.formset.prefix
        for i in page.context["inline_admin_formsets"]
        if i.formset.model is Participation
    )
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-0-role": "signatory",
            f"{prefix}-0-organization": str(Organization.objects.get(acronym="CLARA").pk),
            f"{prefix}-0-visibility": "public",
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "is not a role in activities of kind" in response.content.decode()
    assert not seminar.participations.exists()


def test_a_form_opened_before_someone_else_saved_is_not_saved(staff_client, demo):
    """Two officers edit the same record: the second save must not silently win."""
    import re

    from passerelle.registry.models import Organization

    clara = Organization.objects.get(acronym="CLARA")
    url = f"/en/admin/registry/organization/{clara.pk}/change/"
    page = staff_client.get(url).content.decode()
    loaded = re.search(r'name="loaded_version" value="([^"]+)"', page).group(1)
    clara.name_en = "Saved by a colleague"
    clara.save()  # meanwhile
    response = staff_client.post(
        url,
        {
            "loaded_version": loaded,
            "name": "Mine",
            "kind": "cluster",
            "status": "active",
            "visibility": "public",
        },
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert any("after you opened it. Nothing was saved" in m for m in shown), shown
    clara.refresh_from_db()
    assert clara.name_en == "Saved by a colleague" and clara.name != "Mine"


def _change_page(client, activity):
    url = reverse("admin:activities_activity_change", args=[activity.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: _form_value(form, name) for name in form.fields}
    data.update(_empty_inlines(page.context["inline_admin_formsets"]))
    return url, page, data


def _inline_prefix(page, model) -> str:
    return next(
        i.formset.prefix for i in page.context["inline_admin_formsets"] if i.formset.model is model
    )


def test_an_agreement_with_commitments_saves_and_takes_a_new_alternating_one(staff_client, demo):
    """ "Held alternately in" holds several countries: a multi-choice list that starts empty."""
    import re

    from passerelle.activities.models import Commitment

    agreement = Activity.objects.get(title_en__contains="Weizmann")
    url, page, data = _change_page(staff_client, agreement)
    prefix = _inline_prefix(page, Commitment)
    body = page.content.decode()
    for n, wanted in ((0, []), (1, ["FR", "IL"]), (2, [])):
        select = re.search(
            rf'<select name="{prefix}-{n}-alternate_countries"[^>]*>(.*?)</select>', body, re.S
        )
        assert select and " multiple" in select.group(0).split(">")[0], select
        assert re.findall(r'value="(\w+)" selected', select.group(1)) == wanted
    data["end"] = "2030"
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-position": "3",
            f"{prefix}-{total}-area": "joint_events",
            f"{prefix}-{total}-text_en": "joint symposia, held alternately in Lyon and Shanghai",
            f"{prefix}-{total}-alternate_countries": ["FR", "CN"],
        }
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    agreement.refresh_from_db()
    assert agreement.end == "2030"
    added = agreement.commitments.get(position=3)
    assert sorted(c.code for c in added.alternate_countries) == ["CN", "FR"]
    codes = [[c.code for c in x.alternate_countries] for x in agreement.commitments.all()]
    assert codes[:3] == [
        [],
        ["FR", "IL"],
        [],
    ]


def test_the_commitment_page_has_the_multi_country_list(staff_client, demo):
    from passerelle.activities.models import Commitment

    commitment = Commitment.objects.get(text_en__contains="alternately")
    url = reverse("admin:activities_commitment_change", args=[commitment.pk])
    field = staff_client.get(url).context["adminform"].form.fields["alternate_countries"]
    assert field.widget.allow_multiple_selected
    data = {
        "agreement": commitment.agreement_id,
        "area": "joint_events",
        "text_en": commitment.text_en,
        "position": "1",
        "alternate_countries": ["IL", "FR", "DE"],
    }
    assert staff_client.post(url, data).status_code == 302
    commitment.refresh_from_db()
    assert sorted(c.code for c in commitment.alternate_countries) == ["DE", "FR", "IL"]


@pytest.mark.parametrize(
    ("title", "sections", "absent", "commitments"),
    [
        ("Senegalese delegation", ["Delegation"], ["Agreement", "Event", "Objectives"], False),
        ("Weizmann", ["Agreement"], ["Delegation", "Event", "Funding"], True),
        ("Franco-Chinese seminar (1st)", ["Event"], ["Agreement", "Exchange"], False),
        ("exchanges of physicians", ["Funding", "Exchange"], ["Objectives", "Agreement"], False),
    ],
)
def test_an_activity_form_shows_the_sections_and_inlines_of_its_kind(
    staff_client, demo, title, sections, absent, commitments
):
    from passerelle.activities.models import Commitment

    activity = Activity.objects.get(title_en__contains=title)
    page = staff_client.get(reverse("admin:activities_activity_change", args=[activity.pk]))
    shown = [str(fieldset.name) for fieldset in page.context["adminform"]]
    assert set(sections) <= set(shown) and not set(absent) & set(shown), shown
    models = [i.formset.model for i in page.context["inline_admin_formsets"]]
    assert (Commitment in models) is commitments and Participation in models


def test_adding_an_activity_asks_its_kind_first(staff_client, demo):
    url = reverse("admin:activities_activity_add")
    chooser = staff_client.get(url)
    assert "adminform" not in chooser.context
    links = [k["url"] for k in chooser.context["kinds"]]
    assert len(links) == 7 and "?kind=delegation" in links
    page = staff_client.get(url, {"kind": "delegation"})
    form = page.context["adminform"].form
    assert list(form.fields["kind"].choices) == [("delegation", "delegation")]
    assert [c for c, _label in form.fields["category"].choices] == [
        "",
        "study_visit",
        "official_visit",
    ]
    assert "status" not in form.fields and "edition" not in form.fields
    response = staff_client.post(
        f"{url}?kind=delegation",
        {
            "kind": "delegation",
            "category": "official_visit",
            "title_en": "Delegation from Heidelberg",
            "direction": "incoming",
            "delegation_country": "DE",
            "visibility": "public",
            **_empty_inlines(page.context["inline_admin_formsets"]),
        },
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    created = Activity.objects.get(title_en="Delegation from Heidelberg")
    assert (created.kind, created.delegation_country) == ("delegation", "DE")


def test_the_french_back_office_reads_french(staff_client, demo):
    from passerelle.activities.vocabulary import AgreementStatus

    agreement = Activity.objects.get(title_en__contains="Weizmann")
    page = staff_client.get(f"/fr/admin/activities/activity/{agreement.pk}/change/")
    body = page.content.decode()
    assert "Brouillon" in body and "Projet d’accord</label>" not in body
    assert "Projet d'accord</label>" not in body and "Select value" not in body
    choices = dict(page.context["adminform"].form.fields["status"].choices)
    assert choices["draft"] == "projet d'accord"  # an agreement's status, in its context
    with translation.override("fr"):
        assert str(Activity._meta.get_field("draft").verbose_name) == "brouillon"
        assert str(AgreementStatus.DRAFT.label) == "projet d'accord"
    with translation.override("en"):
        assert str(AgreementStatus.DRAFT.label) == "draft"
    tasks = staff_client.get("/fr/admin/django_tasks_database/").content.decode()
    assert "Tasks Database Backend" not in tasks and "Tâches de fond" in tasks
    organizations = staff_client.get("/fr/admin/registry/organization/").content.decode()
    assert "Région Auvergne-Rhône-Alpes" in organizations
    assert "Auvergne-Rhône-Alpes Region" not in organizations
    activities = staff_client.get("/fr/admin/activities/activity/").content.decode()
    assert "Délégation sénégalaise" in activities


def test_a_new_place_asks_its_country(staff_client, demo):
    url = reverse("admin:registry_place_add")
    form = staff_client.get(url).context["adminform"].form
    assert form["country"].value() in (None, "") and form.fields["country"].required
    assert next(iter(form.fields["country"].choices))[0] == ""
    response = staff_client.post(url, {"name_en": "Turin", "visibility": "public"})
    assert response.status_code == 200 and "country" in response.context["adminform"].form.errors
    assert not Place.objects.filter(name_en="Turin").exists()


def test_a_name_of_invisible_or_control_characters_is_refused(staff_client, demo):
    url = reverse("admin:registry_place_add")
    for name in ("\u200b\u2060", "Tu\u0007rin"):
        data = {"name_en": name, "country": "IT", "visibility": "public"}
        response = staff_client.post(url, data)
        assert (
            response.status_code == 200 and "name_en" in response.context["adminform"].form.errors
        )
    assert not Place.objects.filter(country="IT", name_en__startswith="Tu").exists()


def _menu(client, language="en") -> dict[str, list[str]]:
    page = client.get(f"/{language}/admin/")
    return {
        str(group["title"]): [str(i["title"]) for i in group["items"] if i["has_permission"]]
        for group in page.context["sidebar_navigation"]
    }


def test_the_menu_puts_the_machinery_under_administration(client, staff_client, demo):
    from django.contrib.auth.models import Group, User

    menu = _menu(staff_client)
    machinery = {"Access attempts", "Task Results", "Users", "Audit log"}
    assert machinery <= set(menu["Administration"])
    officer_groups = [items for title, items in menu.items() if title != "Administration"]
    assert not machinery & {item for items in officer_groups for item in items}
    assert {"Search", "Find partners"} <= set(menu["Search and matchmaking"])
    assert "Search entries" not in str(menu)
    french = _menu(staff_client, "fr")
    assert "Trouver des partenaires" in french["Recherche et mise en relation"]
    assert "Tentatives de connexion" in french["Administration"]
    editor = User.objects.create_user("editor", password="pw-editor-1", is_staff=True)
    editor.groups.add(Group.objects.get(name="editor"))
    client.force_login(editor)
    menu = _menu(client)
    assert menu["Administration"] == [] and "Organizations" in menu["Network"]
    body = client.get("/en/admin/").content.decode()
    assert "Access attempts" not in body and "Task results" not in body.lower()


def test_find_partners_has_a_country_picker_and_says_why_in_plain_words(staff_client, demo):
    from django.core.management import call_command

    url = reverse("admin:search_match")
    page = staff_client.get(url, {"q": "virally induced cancers", "scope": "DE"})
    assert ("DE", "Germany") in page.context["countries"]
    assert [str(p["title"]) for p in page.context["header_parts"]] == [
        "Search and matchmaking",
        "Find partners",
    ]
    rows = page.context["rows"]
    assert rows and {r["suggestion"].country for r in rows} == {"DE"}
    reasons = " ".join(" ".join(r["suggestion"].reasons) for r in rows)
    assert "Virally induced cancers" in reasons and "virally-induced-cancers" not in reasons
    assert "match the words" not in reasons and "words of the theme" in reasons
    assert '<option value="DE" selected>Germany</option>' in page.content.decode()
    french = staff_client.get(f"/fr{url[3:]}", {"q": "cancers viro-induits", "scope": "DE"})
    reasons = " ".join(" ".join(r["suggestion"].reasons) for r in french.context["rows"])
    assert "travaille sur" in reasons and "Cancers viro-induits" in reasons
    from io import StringIO

    out = StringIO()
    with translation.override("en"):  # the command's language, not the last page's
        call_command("match", "nanotechnology symposium", "--limit", "5", stdout=out)
    assert "(co-organizer)" in out.getvalue() and "co_organizer" not in out.getvalue()
