"""The REST API: who reads what, tokens, filters, pages, history, schema and bad input."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from passerelle.access.models import ApiToken, AuditEvent
from passerelle.activities.models import Activity, Participation
from passerelle.core.visibility import public_participations
from passerelle.registry.models import Organization


@pytest.fixture
def hidden(demo):
    inca = Organization.objects.get(acronym="INCa")
    inca.visibility = "confidential"
    inca.save()
    tie = Participation.objects.filter(activity__title_en__contains="with Milan").first()
    tie.visibility = "internal"
    tie.save()
    return {"organization": inca, "participation": tie}


@pytest.fixture
def integration(db):
    user = get_user_model().objects.create_user("crm", is_staff=True)
    token, secret = ApiToken.issue(user, "CRM synchronisation")
    return token, secret


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_anonymous_clients_read_public_records_only(client, hidden):
    listing = client.get("/api/organizations/?limit=500").json()
    names = {o["name"] for o in listing["items"]}
    assert "CLARA" in {o.get("acronym") for o in listing["items"]}
    assert hidden["organization"].name not in names
    assert listing["count"] == Organization.objects.filter(visibility="public").count()
    assert client.get(f"/api/organizations/{hidden['organization'].uid}").status_code == 404
    milan = Activity.objects.get(title_en__contains="with Milan")
    shown = client.get(f"/api/activities/{milan.uid}").json()["participations"]
    assert len(shown) == public_participations(milan.participations.all()).count() == 2
    assert all(p["visibility"] == "public" for p in shown)


def test_staff_read_confidential_records_they_are_named_for(
    client, staff_client, hidden, integration
):
    """An administrator (the superuser) reads every record; a token acts as its user, who
    reads a confidential record once named as its reader, and not before."""
    inca = hidden["organization"]
    assert staff_client.get(f"/api/organizations/{inca.uid}").json()["visibility"] == (
        "confidential"
    )
    token, secret = integration
    client.logout()
    assert client.get(f"/api/organizations/{inca.uid}", **bearer(secret)).status_code == 404
    inca.readers.create(user=token.user)
    response = client.get(f"/api/organizations/{inca.uid}", **bearer(secret))
    assert response.status_code == 200 and response.json()["acronym"] == "INCa"


def test_tokens_are_stored_hashed_revocable_and_audited(client, demo, integration):
    token, secret = integration
    assert secret not in {token.digest, token.prefix} and secret.startswith(f"psl_{token.prefix}_")
    assert len(token.digest) == 64
    for _ in range(3):
        assert client.get("/api/places/", **bearer(secret)).status_code == 200
    assert AuditEvent.objects.filter(action="token_used", user=token.user).count() == 1
    token.refresh_from_db()
    assert token.last_used is not None
    assert client.get("/api/places/", **bearer(secret + "x")).status_code == 401
    assert client.get("/api/places/", **bearer("psl_nothing_here")).status_code == 401
    token.revoked = token.created
    token.save()
    assert client.get("/api/places/", **bearer(secret)).status_code == 401


def test_staff_issue_a_token_in_the_back_office_and_see_it_once(staff_client, staff):
    response = staff_client.post(
        "/en/admin/access/apitoken/add/",
        {"user": staff.pk, "name": "Reporting"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    secret = next(m for m in shown if "psl_" in m).split(": ")[-1]
    token = ApiToken.objects.get(name="Reporting")
    assert ApiToken.find(secret) == token
    assert AuditEvent.objects.filter(action="token_issued").exists()
    detail = staff_client.get(f"/en/admin/access/apitoken/{token.pk}/change/").content.decode()
    assert secret not in detail


def test_filters_ordering_and_pages(client, demo):
    page = client.get("/api/organizations/?limit=5&offset=5&ordering=-name").json()
    everything = client.get("/api/organizations/?limit=500&ordering=-name").json()["items"]
    assert [o["id"] for o in page["items"]] == [o["id"] for o in everything[5:10]]
    found = client.get("/api/organizations/?q=Machon Weizmann").json()["items"]
    assert [o["name"] for o in found] == ["Weizmann Institute of Science"]  # by another name
    assert client.get("/api/activities/?q=milan").json()["count"] == 1
    later = client.get("/api/places/?updated_since=2999-01-01T00:00:00Z").json()
    assert later == {"items": [], "count": 0}


def test_a_search_lists_the_same_records_whether_its_matches_are_few_or_many(
    client, demo, monkeypatch
):
    """Few matches filter the list by their ids, many by a subquery (search.engine): the
    same records, the same count, and a confidential match stays out of both."""
    from passerelle.search import engine

    hidden = Organization.objects.get(acronym="IARC")
    hidden.visibility = "confidential"
    hidden.save()
    listings = []
    for listed_by_ids in (1000, 1):
        monkeypatch.setattr(engine, "LISTED_BY_IDS", listed_by_ids)
        listings.append(client.get("/api/organizations/?q=cancer&limit=500&ordering=name").json())
    assert listings[0] == listings[1]
    names = [o["name"] for o in listings[0]["items"]]
    assert listings[0]["count"] == len(names) >= 3
    assert "Centre de Recherche en Cancérologie de Lyon" in names
    assert "International Agency for Research on Cancer" not in names


def test_history_is_for_staff(staff_client, demo):
    clara = Organization.objects.get(acronym="CLARA")
    clara.name_en = "CLARA, the cluster"
    clara.save()
    assert Client().get(f"/api/organizations/{clara.uid}/history").status_code == 403
    history = staff_client.get(f"/api/organizations/{clara.uid}/history").json()
    assert history[0]["change"] == "created"
    assert {"field": "name_en", "old": "CLARA cancer cluster", "new": "CLARA, the cluster"} in (
        history[-1]["changes"]
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/activities/?ordering=bogus",
        "/api/places/?updated_since=yesterday",
        "/api/search?q=x&year=1200",
        "/api/match?q=x&scope=Europe",
        "/api/organizations/?limit=-1",
        "/api/organizations/?limit=100000",
        "/api/organizations/?visibility=secret",
    ],
)
def test_bad_parameters_are_422_with_the_reason(client, db, path):
    response = client.get(path)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "' OR 1=1 --", '"*NEAR', "%", "_", "😀 中文", "<script>"],
)
def test_odd_searches_are_answered(client, demo, query):
    response = client.get("/api/organizations/", {"q": query})
    assert response.status_code == 200 and response.json()["count"] == 0


def test_unknown_ids_are_404(client, db):
    assert client.get("/api/places/00000000-0000-0000-0000-000000000000").status_code == 404
    malformed = client.get("/api/places/not-a-uuid")
    assert malformed.status_code == 422 and malformed.json()["detail"][0]["loc"] == ["path", "id"]


def test_the_schema_and_its_documentation_come_from_the_server(client, db):
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    for collection in ("sources", "places", "topics", "organizations", "people", "activities"):
        assert f"/api/{collection}/" in schema["paths"]
        assert f"/api/{collection}/{{id}}/history" in schema["paths"]
    docs = client.get("/api/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()


def test_anonymous_clients_are_rate_limited(client, db):
    statuses = [client.get("/api/places/").status_code for _ in range(125)]
    assert statuses[:120] == [200] * 120 and statuses[-1] == 429
    # another address has its own budget
    assert client.get("/api/places/", REMOTE_ADDR="198.51.100.4").status_code == 200


def test_any_rfc3339_offset_is_compared_in_utc(client, db):
    """The fuzzer found a 500 on PostgreSQL, which refuses offsets past ±15:59."""
    for moment in ("2065-07-12T05:24:12-22:06", "0001-01-01T00:30:00+20:27"):
        response = client.get("/api/places/", {"updated_since": moment})
        assert response.status_code == 200, (moment, response.content)
