"""Agreements: their lifecycle, their documents and the commitment checker, through every
door (the model's functions, the back office, the command line, the API, the portal)."""

from __future__ import annotations

import datetime
import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from passerelle.access.roles import ensure_roles
from passerelle.activities import agreements
from passerelle.activities.agreement_models import AgreementDocument
from passerelle.activities.commitments import check, check_all
from passerelle.activities.desk_sources import agreement_items, commitment_items
from passerelle.activities.models import Activity, ActivityLink, Commitment, Participation
from passerelle.core.desk import desk_sources
from passerelle.demo.network import uid
from passerelle.registry.models import Organization, Person, Place

TODAY = datetime.date(2026, 6, 1)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def users(db):
    ensure_roles()
    made = {}
    for role in ("viewer", "editor", "administrator"):
        user = get_user_model().objects.create_user(f"agr-{role}", is_staff=True)
        user.groups.add(Group.objects.get(name=role))
        made[role] = user
    return made


@pytest.fixture
def pact(db):
    """A public agreement between a French and an Israeli institute, in force since 2022."""
    fr = Organization.objects.create(
        name="Institut Lyon", kind="university", visibility="public", in_region=True
    )
    il = Organization.objects.create(
        name="Rehovot Institute", kind="university", visibility="public"
    )
    agreement = Activity.objects.create(
        kind="agreement", title_en="FR–IL pact", status="signed", start="2022-01-01",
        end="2026-08-31", notice_months=3, visibility="public",
    )  # fmt: skip
    for org in (fr, il):
        Participation.objects.create(activity=agreement, organization=org, role="party")
    conferences = Commitment.objects.create(
        agreement=agreement, area="joint_events", text_en="yearly conferences, FR/IL",
        cadence="yearly", alternate_countries=["FR", "IL"],
    )  # fmt: skip
    places = {
        "FR": Place.objects.create(name_en="Lyon", country="FR", visibility="public"),
        "IL": Place.objects.create(name_en="Rehovot", country="IL", visibility="public"),
    }
    return {"agreement": agreement, "fr": fr, "il": il, "c": conferences, "places": places}


def conference(pact, year: int, country: str, *, parties=True, title=None) -> Activity:
    event = Activity.objects.create(
        kind="event", category="conference", title_en=title or f"Conference {year}",
        start=str(year), visibility="public",
    )  # fmt: skip
    event.places.add(pact["places"][country])
    if parties:
        for org in (pact["fr"], pact["il"]):
            Participation.objects.create(activity=event, organization=org, role="co_organizer")
    return event


def only(results, commitment):
    (result,) = [r for r in results if r.commitment.pk == commitment.pk]
    return result


# ----------------------------------------------------------------------------- lifecycle


def test_an_agreement_is_signed_only_once_every_party_has_signed(pact, users):
    agreement = pact["agreement"]
    agreement.status = "under_review"
    agreement.save()
    with pytest.raises(ValidationError) as refused:
        agreements.transition(agreement, "signed", users["editor"])
    assert "FR–IL pact" in str(refused.value) and "Rehovot Institute" in str(refused.value)
    agreement.refresh_from_db()
    assert agreement.status == "under_review"  # nothing written
    signer = Person.objects.create(family_name="Cohen", visibility="public")
    agreement.participations.update(signed_by=signer, signed_on="2021-12-15")
    agreements.transition(agreement, "signed", users["editor"], "signed in Lyon")
    agreement.refresh_from_db()
    assert agreement.status == "signed" and agreement.signed_on == "2021-12-15"
    last = agreement.history.latest()
    assert last.history_change_reason == "signed in Lyon"
    assert last.history_user == users["editor"]


def test_dates_decide_in_force_and_expired_and_illegal_steps_are_refused(pact):
    agreement = pact["agreement"]
    assert agreements.effective_status(agreement, TODAY) == "active"
    assert agreements.effective_status(agreement, datetime.date(2027, 1, 1)) == "expired"
    with pytest.raises(ValidationError, match=r"FR–IL pact.*cannot become"):
        agreements.transition(agreement, "under_review", today=TODAY)
    with pytest.raises(ValidationError, match="say why"):
        agreements.transition(agreement, "terminated", today=TODAY)
    agreements.transition(agreement, "terminated", reason="funding ended", today=TODAY)
    assert agreement.history.latest().history_change_reason == "funding ended"
    term = agreements.term(agreement, TODAY)
    assert term.expires_in == 91 and term.decision_by == datetime.date(2026, 5, 28)


def test_renewing_copies_the_agreement_and_links_the_successor(pact):
    agreement = pact["agreement"]
    successor = agreements.renew(agreement)
    agreement.refresh_from_db()
    assert agreement.status == "renewed"
    assert successor.status == "draft" and successor.start == "2026-09-01"
    assert successor.participations.filter(role="party").count() == 2
    assert [c.text_en for c in successor.commitments.all()] == ["yearly conferences, FR/IL"]
    assert ActivityLink.objects.filter(subject=successor, relation="renews", object=agreement)
    with pytest.raises(ValidationError, match="cannot be renewed"):
        agreements.renew(agreement)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"area": "joint_events", "alternate_countries": ["FR"]}, "alternate_countries"),
        ({"area": "exchanges", "count": 0, "period": "year"}, "count"),
        ({"area": "exchanges", "cadence": "yearly"}, "cadence"),
        ({"area": "joint_events", "cadence": "yearly", "count": 2, "period": "term"}, "count"),
        ({"area": "joint_projects", "direction": "incoming"}, "direction"),
        ({"area": "exchanges", "count": 3}, "period"),
    ],
)
def test_a_rule_that_cannot_be_met_is_refused_naming_the_field(pact, fields, field):
    commitment = Commitment(agreement=pact["agreement"], text_en="impossible", **fields)
    with pytest.raises(ValidationError) as refused:
        commitment.full_clean()
    assert field in refused.value.message_dict
    assert (
        "FR–IL pact" in " ".join(refused.value.message_dict[field])
        or field == "alternate_countries"
    )


# ----------------------------------------------------------------------------- documents


def test_documents_are_checked_by_content_and_size_and_versioned(pact, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    agreement = pact["agreement"]
    fake = AgreementDocument(
        agreement=agreement, kind="signed", title="Signed text",
        file=SimpleUploadedFile("signed.pdf", b"MZ\x90\x00 not a pdf"),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="not a PDF"):
        fake.full_clean()
    big = SimpleUploadedFile("big.pdf", PDF)
    big.size = 30 * 1024 * 1024  # said before a byte is read
    with pytest.raises(ValidationError, match="limit is 20 MB"):
        AgreementDocument(agreement=agreement, kind="annex", title="Big", file=big).full_clean()
    assert not AgreementDocument.objects.exists()
    for _n in range(2):
        document = AgreementDocument(
            agreement=agreement, kind="signed", title="Signed text",
            file=SimpleUploadedFile("signed.pdf", PDF),
        )  # fmt: skip
        document.full_clean()
        document.save()
    import hashlib

    assert document.version == 2 and document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.size == len(PDF) and document.media_type == "application/pdf"
    url = reverse("admin:activities_activity_download", args=[document.pk])
    reader = Client()
    reader.force_login(users["viewer"])
    response = reader.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    agreement.visibility = "confidential"
    agreement.save()
    editor = Client()
    editor.force_login(users["editor"])  # not a reader of the confidential agreement
    assert editor.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login


def test_the_upload_form_refuses_a_renamed_file_and_a_viewer(pact, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add = reverse("admin:activities_agreementdocument_add")
    data = {"agreement": pact["agreement"].pk, "kind": "annex", "title": "Annex 1"}
    editor = Client()
    editor.force_login(users["editor"])
    response = editor.post(add, {**data, "file": SimpleUploadedFile("a.pdf", b"<html>")})
    assert response.status_code == 200 and "not a PDF" in response.content.decode()
    assert not AgreementDocument.objects.exists()
    viewer = Client()
    viewer.force_login(users["viewer"])
    assert viewer.post(add, {**data, "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    response = editor.post(add, {**data, "file": SimpleUploadedFile("a.pdf", PDF)})
    assert response.status_code == 302
    assert AgreementDocument.objects.get().uploaded_by == users["editor"]


# ----------------------------------------------------------------------------- the checker


def test_two_conferences_in_a_row_in_france_break_the_alternation(pact):
    conference(pact, 2022, "FR")
    conference(pact, 2023, "FR", title="Second in France")
    result = only(check(None, [pact["agreement"]], today=TODAY), pact["c"])
    assert result.status == "broken"
    assert "Second in France" in result.reason["en"] and "France" in result.reason["en"]
    assert "France" in result.reason["fr"] and result.reason["fr"] != result.reason["en"]


def test_alternating_conferences_are_on_track_and_say_where_and_when_the_next_is_due(pact):
    conference(pact, 2022, "FR")
    conference(pact, 2023, "IL")
    conference(pact, 2025, "FR")
    result = only(check(None, [pact["agreement"]], today=TODAY), pact["c"])
    assert result.status == "due"  # 2026's is still to come
    assert (result.next_by, result.next_country) == ("2026", "IL")
    assert result.next_text["en"] == "Next joint event due in Israel by the end of 2026."
    assert "Israël" in result.next_text["fr"]
    late = only(check(None, [pact["agreement"]], today=datetime.date(2027, 2, 1)), pact["c"])
    assert late.status in ("late", "broken")  # the agreement ended in August 2026
    assert [o.country for o in result.observed] == ["FR", "IL", "FR"]
    assert all(not o.confirmed for o in result.observed)  # found by the rule


def test_staff_confirm_and_reject_suggestions_through_may_change(pact, users):
    first = conference(pact, 2022, "FR")
    other = conference(pact, 2023, "IL", title="Unrelated")
    url = reverse("admin:activities_activity_fulfilment", args=[pact["agreement"].pk])
    viewer = Client()
    viewer.force_login(users["viewer"])
    ask = {"commitment": pact["c"].pk, "activity": first.pk, "decision": "confirm"}
    assert viewer.post(url, ask).status_code == 403
    editor = Client()
    editor.force_login(users["editor"])
    assert editor.post(url, ask).status_code == 302
    assert editor.post(url, {**ask, "activity": other.pk, "decision": "reject"}).status_code == 302
    result = only(check(None, [pact["agreement"]], today=TODAY), pact["c"])
    assert [(o.title_en, o.confirmed) for o in result.observed] == [("Conference 2022", True)]
    link = ActivityLink.objects.get(subject=other, relation="not_fulfils")
    assert link.history.count() == 1  # versioned


def test_exchanges_are_counted_in_people_by_category_and_direction(pact):
    agreement = pact["agreement"]
    phd = Commitment.objects.create(
        agreement=agreement, area="exchanges", text_en="5 PhD students a year to Lyon",
        exchange_categories="phd_student", count=5, period="year", direction="incoming",
    )  # fmt: skip
    sent = [(2, "phd_student", "il"), (1, "phd_student", "il"), (4, "physician", "il")]
    for headcount, category, sender in [*sent, (6, "phd_student", "fr")]:
        exchange = Activity.objects.create(
            kind="exchange", category="mobility", title_en=f"{category} {headcount}",
            exchange_category=category, headcount=headcount, start="2026-03", visibility="public",
        )  # fmt: skip
        receiver = "fr" if sender == "il" else "il"
        Participation.objects.create(activity=exchange, organization=pact[sender], role="sending")
        Participation.objects.create(
            activity=exchange, organization=pact[receiver], role="receiving"
        )
    result = only(check(None, [agreement], today=TODAY), phd)
    assert result.status == "due"
    assert result.progress["en"] == "3 of 5 exchanges this year."
    assert result.progress["fr"] == "3 sur 5 (échanges) cette année."  # the area named in French
    assert sorted(o.people for o in result.observed) == [1, 2]


def test_a_confirmed_exchange_counts_where_its_category_is_not_recorded(pact):
    agreement = pact["agreement"]
    phd = Commitment.objects.create(
        agreement=agreement, area="exchanges", text_en="3 PhD students a year",
        exchange_categories="phd_student", count=3, period="year",
    )  # fmt: skip
    exchanges = []
    for headcount, category in [(1, "phd_student"), (1, "phd_student"), (1, "")]:
        exchange = Activity.objects.create(
            kind="exchange", title_en=f"exchange {len(exchanges)}", exchange_category=category,
            headcount=headcount, start="2026-03", visibility="public",
        )  # fmt: skip
        exchanges.append(exchange)
        ActivityLink.objects.create(
            subject=exchange, relation="fulfils", object=agreement, commitment=phd
        )
    result = only(check(None, [agreement], today=TODAY), phd)
    assert [o.confirmed for o in result.observed] == [True, True, True]
    assert result.progress["en"] == "3 of 3 exchanges this year."
    assert result.status == "on_track"


def test_joint_projects_and_what_no_rule_checks(pact):
    agreement = pact["agreement"]
    projects = Commitment.objects.create(
        agreement=agreement, area="joint_projects", text_en="two joint projects", count=2
    )
    other = Commitment.objects.create(agreement=agreement, area="other", text_en="goodwill")
    project = Activity.objects.create(
        kind="project", title_en="Joint project", start="2023", visibility="public"
    )
    for org in (pact["fr"], pact["il"]):
        Participation.objects.create(activity=project, organization=org, role="partner")
    results = check(None, [agreement], today=TODAY)
    assert only(results, projects).status == "due"
    assert only(results, projects).progress["en"] == "1 of 2 active joint projects."
    kept = only(results, other)  # never dropped
    assert kept.status == "not_checkable" and kept.reason["fr"]


def test_a_confidential_agreement_is_nowhere_for_an_editor_who_does_not_read_it(pact, users):
    agreement = pact["agreement"]
    agreement.visibility = "confidential"
    agreement.end = "2026-07-01"
    agreement.save()
    conference(pact, 2022, "FR")
    editor = users["editor"]
    assert check_all(editor, today=TODAY) == []
    assert list(commitment_items(editor, TODAY)) == []
    assert list(agreement_items(editor, TODAY)) == []
    client = Client()
    client.force_login(editor)
    assert client.get("/api/commitments").json() == []
    assert client.get(f"/api/agreements/{agreement.uid}/commitments").status_code == 404
    admin = users["administrator"]
    assert [a.threshold for a in agreement_items(admin, TODAY)] == ["30", "overdue"]
    assert {s.name for s in desk_sources()} >= {"commitments", "agreements"}


# ----------------------------------------------------------------------------- doors


def test_the_api_answers_the_checker_for_what_the_caller_reads(pact, client):
    conference(pact, 2022, "FR")
    body = client.get(f"/api/agreements/{pact['agreement'].uid}/commitments").json()
    (entry,) = body
    assert entry["agreement"]["title"] == "FR–IL pact"
    assert entry["commitment"]["area"] == "joint_events"
    assert entry["next_due"] == {
        "by": "2023", "country": "IL", "text": "Next joint event due in Israel by the end of 2023.",
        "text_fr": entry["next_due"]["text_fr"],
    }  # fmt: skip
    assert entry["observed"][0]["country"] == "FR" and entry["observed"][0]["confirmed"] is False
    schema = client.get("/api/openapi.json").json()
    assert {"/api/commitments", "/api/agreements/{id}/commitments"} <= set(schema["paths"])


def test_the_command_prints_one_object_per_commitment(pact):
    conference(pact, 2022, "FR")
    out = StringIO()
    call_command("commitments", "--json", "--agreement", str(pact["agreement"].uid), stdout=out)
    (entry,) = json.loads(out.getvalue())
    assert set(entry) >= {"agreement", "commitment", "status", "observed", "next_due"}
    assert set(entry["next_due"]) >= {"by", "country", "text"}
    assert set(entry["observed"][0]) >= {"activity", "title", "date", "country", "confirmed"}


def test_the_command_in_french_names_activities_by_their_french_titles(pact):
    event = conference(pact, 2022, "FR")
    event.title_fr = "Conférence de 2022"
    event.save()
    out = StringIO()
    call_command("commitments", "--language", "fr", stdout=out)
    assert "Conférence de 2022" in out.getvalue() and "Conference 2022" not in out.getvalue()


def test_the_command_says_so_when_an_agreement_has_no_commitments(pact):
    bare = Activity.objects.create(kind="agreement", title_en="Bare pact", status="draft")
    out = StringIO()
    call_command("commitments", "--agreement", str(bare.pk), stdout=out)
    assert "Bare pact" in out.getvalue() and "no commitments" in out.getvalue()
    out = StringIO()
    call_command("commitments", "--agreement", str(bare.pk), "--language", "fr", stdout=out)
    assert "aucun engagement" in out.getvalue()


def test_the_agreement_pages_show_the_check(pact, users):
    conference(pact, 2022, "FR")
    pact["agreement"].end = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    pact["agreement"].save()
    page = Client().get(reverse("portal:activity", args=[pact["agreement"].uid]))
    assert page.status_code == 200 and 'data-verdict="' in page.content.decode()
    editor = Client()
    editor.force_login(users["editor"])
    url = reverse("admin:activities_activity_change", args=[pact["agreement"].pk])
    body = editor.get(url).content.decode()
    for words in ("State of the agreement", "Conference 2022", "Confirm", "Renewal decision"):
        assert words in body, words
    viewer = Client()
    viewer.force_login(users["viewer"])
    body = viewer.get(url).content.decode()
    assert "Conference 2022" in body and 'value="confirm"' not in body
    lifecycle = reverse("admin:activities_activity_lifecycle", args=[pact["agreement"].pk])
    assert viewer.post(lifecycle, {"lifecycle_status": "terminated"}).status_code == 403
    response = editor.post(lifecycle, {"lifecycle_status": "draft"}, follow=True)
    assert "cannot become" in response.content.decode()
    pact["agreement"].refresh_from_db()
    assert pact["agreement"].status == "signed"


def test_the_demo_agreement_says_what_it_cannot_decide(demo):
    weizmann = Activity.objects.get(uid=uid("activity", "weizmann-agreement"))
    assert weizmann.participations.filter(role="party").count() == 3
    results = {r.commitment.area: r for r in check(None, [weizmann])}
    assert set(results) == {"joint_projects", "joint_events", "exchanges"}
    assert all(r.status == "not_checkable" for r in results.values())
    events = results["joint_events"]
    assert "no cadence" in events.reason["en"] and events.next_country is None
    assert "France" in events.next_text["en"] and "Israel" in events.next_text["en"]
    assert "no number" in results["exchanges"].reason["en"]
    assert results["exchanges"].reason["fr"] != results["exchanges"].reason["en"]


def test_many_agreements_are_judged_as_one_is(pact, users, monkeypatch):
    """Above a few agreements the rule's candidates come from one read of the parties'
    participations instead of a grouped query each, and above many ids the reads are not
    narrowed by an ``IN`` list: the verdicts are the same."""
    from passerelle.activities import commitment_facts

    conference(pact, 2022, "FR")
    conference(pact, 2023, "FR", title="Second in France")
    conference(pact, 2019, "IL", title="Before the term")  # the term runs 2022 to 2026-08
    conference(pact, 2027, "IL", title="After the term")
    undated = conference(pact, 2024, "IL", title="Undated")
    Activity.objects.filter(pk=undated.pk).update(start="")
    hidden = conference(pact, 2024, "IL", title="A party's part is confidential")
    hidden.participations.filter(organization=pact["il"]).update(visibility="confidential")

    def titles(results):
        return sorted(o["title"] for r in results for o in r["observed"])

    def judged(who):
        return [r.as_json() for r in check(who, [pact["agreement"]], today=TODAY)]

    for who in (None, users["editor"], users["administrator"]):
        monkeypatch.setattr(commitment_facts, "FEW", 10)
        alone = judged(who)
        expected = ["Conference 2022", "Second in France", "Undated"]
        if who == users["administrator"]:  # reads every record, the confidential part too
            expected.insert(0, "A party's part is confidential")
        assert titles(alone) == expected
        monkeypatch.setattr(commitment_facts, "FEW", 0)
        assert judged(who) == alone
        monkeypatch.setattr(commitment_facts, "MANY", 0)
        assert judged(who) == alone
        monkeypatch.setattr(commitment_facts, "MANY", 5000)


def test_the_api_writes_terms_signatures_and_rules_and_refuses_an_impossible_one(users, pact):
    from passerelle.access.models import ApiToken

    secret = ApiToken.issue(users["editor"], "agreements")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    signer = Person.objects.create(family_name="Levi", visibility="public")
    url = f"/api/activities/{pact['agreement'].uid}"
    read = api.get(url)
    body = read.json()
    body.update(notice_months=6, renews_automatically=True)
    body["participations"][0].update(signed_by=str(signer.uid), signed_on="2021-12-01")
    body["commitments"].append(
        {"id": "3f8e4c1a-1b2c-4d5e-8f90-0a1b2c3d4e5f", "area": "exchanges",
         "text_en": "ten a year", "count": 10, "period": "year",
         "measure": "people", "direction": "outgoing"}
    )  # fmt: skip
    body.pop("updated", None)
    changed = api.put(url, body, content_type="application/json", HTTP_IF_MATCH=read["ETag"])
    assert changed.status_code == 200, changed.json()
    again = api.get(url)
    shown = again.json()
    assert shown["notice_months"] == 6 and shown["renews_automatically"] is True
    assert shown["participations"][0]["signed_by"] == str(signer.uid)
    assert shown["commitments"][-1]["direction"] == "outgoing"
    shown["commitments"][-1]["count"] = 0
    shown.pop("updated", None)
    refused = api.put(url, shown, content_type="application/json", HTTP_IF_MATCH=again["ETag"])
    assert refused.status_code == 422
    assert "count" in json.dumps(refused.json()) and "FR–IL pact" in json.dumps(
        refused.json(), ensure_ascii=False
    )
    assert Commitment.objects.get(text_en="ten a year").count == 10  # nothing written
