"""Rate limits that hold under concurrency, and the client's address behind trusted proxies.

The limits are raced by real concurrent requests against a live server (one
thread per request), on each kind of cache the settings can choose: the memory
cache of the tests, the files on disk of a default installation, and Redis.
"""

from __future__ import annotations

import threading
import urllib.error
import urllib.request
import uuid
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, RequestFactory

from passerelle.access.models import ApiToken, AuditEvent
from passerelle.core.clients import client_address
from passerelle.core.ratelimits import Rate, hit

REDIS = "redis://127.0.0.1:6379/13"


def _redis_reachable() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:
        return False


def _caches(tmp_path) -> dict:
    return {
        "memory": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "files": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        },
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": f"passerelle-test-{uuid.uuid4().hex}",
        },
    }


@pytest.fixture(params=["memory", "files", "redis"])
def shared_cache(request, settings, tmp_path):
    if request.param == "redis" and not _redis_reachable():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {"default": _caches(tmp_path)[request.param]}
    return request.param


def _race(url: str, paths: list[str], forwarded: bool = True, token: str = "") -> Counter:
    """Every request at once (one thread each, released together): their statuses."""
    statuses: list[int] = []
    start = threading.Barrier(len(paths))

    def one(number: int, path: str) -> None:
        headers = {"X-Forwarded-For": f"198.51.100.{number % 250}"} if forwarded else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        start.wait()
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url + path, headers=headers), timeout=60
            ) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=one, args=(n, p)) for n, p in enumerate(paths)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Counter(statuses)


def test_concurrent_requests_past_the_limit_let_exactly_the_limit_through(
    shared_cache, live_server, settings
):
    """30 requests at once against a limit of 20, each with its own X-Forwarded-For: 20 pass.

    Anonymous API reads, the portal's search, and reads with one token. Before: the
    API's counter was read, extended and written back, so concurrent requests all
    passed, and the whole forwarded header was the client's address, so a rotated
    one was a new client each time; the portal's search had no limit at all.
    """
    settings.RATE_LIMITS = {"anonymous": "20/m", "client": "600/m", "search": "20/m"}
    api = _race(live_server.url, ["/api/places/"] * 30)
    assert api == {200: 20, 429: 10}, api
    # the portal's search: its page and its JSON twin share one budget
    search = _race(live_server.url, ["/en/search/?q=cancer", "/en/search.json?q=cancer"] * 15)
    assert search == {200: 20, 429: 10}, search
    # one token, whatever the address it comes from
    settings.RATE_LIMITS = {"anonymous": "20/m", "client": "20/m", "search": "20/m"}
    user = get_user_model().objects.create_user("reader", is_staff=True)
    secret = ApiToken.issue(user, "race")[1]
    signed = _race(live_server.url, ["/api/places/"] * 30, token=secret)
    assert signed == {200: 20, 429: 10}, signed


def test_a_refused_request_says_when_to_come_back(client, db, settings):
    settings.RATE_LIMITS = {"anonymous": "2/m", "client": "600/m", "search": "2/m"}
    api = [client.get("/api/places/") for _ in range(3)]
    assert [r.status_code for r in api] == [200, 200, 429]
    # the portal's search, whatever the language and format, is one budget
    search = [client.get(path) for path in ("/en/search.json?q=x", "/fr/recherche/?q=y")] + [
        client.get("/en/search.json?q=z"),
        client.get("/fr/recherche/?q=x"),
    ]
    assert [r.status_code for r in search] == [200, 200, 429, 429]
    for refused in (api[-1], *search[2:]):
        assert 1 <= int(refused["Retry-After"]) <= 60
    assert search[2].json()["detail"].startswith("Too many requests from your address")
    assert "Trop de requêtes" in search[3].content.decode()


@pytest.mark.parametrize("kind", ["memory", "files", "redis"])
def test_a_window_counts_from_its_first_request_and_closes(kind, settings, tmp_path, monkeypatch):
    if kind == "redis" and not _redis_reachable():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {"default": _caches(tmp_path)[kind]}
    from django.core.cache import cache

    counts = [hit("ratelimit:test:one", 1, cache).count for _ in range(3)]
    assert counts == [1, 2, 3]
    assert hit("ratelimit:test:other", 1, cache).count == 1
    import time

    time.sleep(2.1)  # past the window's one second (Redis expires by whole seconds)
    assert hit("ratelimit:test:one", 1, cache).count == 1


def test_rates_are_checked(settings):
    assert Rate.parse("120/m") == Rate(120, 60) and Rate.parse("5/10m") == Rate(5, 600)
    for bad in ("0/m", "ten/m", "5/w", "5"):
        with pytest.raises(ValueError):
            Rate.parse(bad)


# -- the client's address behind the trusted proxies


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "", "10.0.0.1"),
        (0, "203.0.113.5", "10.0.0.1"),  # no proxy trusted: the header is the client's words
        (1, "", "10.0.0.1"),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "6.6.6.6, 203.0.113.5", "203.0.113.5"),  # the untrusted hop's claim is ignored
        (2, "6.6.6.6, 203.0.113.5, 192.0.2.10", "203.0.113.5"),
        (2, "203.0.113.5", "203.0.113.5"),  # entered below the outer proxy: its one entry
        (1, "6.6.6.6, not-an-address", "10.0.0.1"),
        (1, "2001:db8::7", "2001:db8::7"),
    ],
)
def test_the_client_address_is_read_behind_the_trusted_proxies_only(
    proxies, forwarded, expected, settings
):
    settings.TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def _through_proxy(client: Client, method: str, path: str, client_ip: str, **extra):
    """A request as the proxy on this machine passes it on: the client's claim, then its own."""
    forwarded = f"6.6.6.{uuid.uuid4().int % 250}, {client_ip}"  # the first part rotates
    return getattr(client, method)(
        path, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=forwarded, **extra
    )


def test_behind_one_trusted_proxy_every_door_sees_the_client(client, db, settings):
    """Throttling, /metrics, django-axes and the audit log all read the same address."""
    settings.TRUSTED_PROXIES = 1
    settings.RATE_LIMITS = {"anonymous": "3/m", "client": "600/m", "search": "3/m"}
    # rate limits: a rotated untrusted hop is the same client; another client has its budget
    statuses = [
        _through_proxy(client, "get", "/api/places/", "203.0.113.5").status_code for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    assert _through_proxy(client, "get", "/api/places/", "203.0.113.6").status_code == 200
    # /metrics: the proxy's 127.0.0.1 no longer opens it, nor a forged 127.0.0.1 hop
    assert _through_proxy(client, "get", "/metrics", "203.0.113.5").status_code == 404
    forged = client.get(
        "/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.5"
    )
    assert forged.status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200  # no proxy hop


def test_without_trusted_proxies_a_forwarded_header_opens_nothing(client, db, settings):
    settings.TRUSTED_PROXIES = 0
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1")
    assert response.status_code == 404


def test_sign_in_lockout_and_audit_see_the_client_behind_the_proxy(db, settings):
    get_user_model().objects.create_user("clerk", "c@example.org", "pw-clerk-1", is_staff=True)
    settings.TRUSTED_PROXIES = 1
    login = "/en/admin/login/"
    attacker, colleague = Client(), Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _through_proxy(
            attacker, "post", login, "203.0.113.66", data={"username": "clerk", "password": "x"}
        )
    locked = _through_proxy(
        attacker, "post", login, "203.0.113.66", data={"username": "clerk", "password": "x"}
    )
    assert locked.status_code == 429  # a rotated untrusted hop does not unlock the attacker
    # the colleague comes through the same proxy, from another address: not locked out
    signed_in = _through_proxy(
        colleague,
        "post",
        login,
        "203.0.113.7",
        data={"username": "clerk", "password": "pw-clerk-1", "next": "/en/admin/"},
    )
    assert signed_in.status_code == 302
    assert AuditEvent.objects.get(action="login").address == "203.0.113.7"
    failed = set(AuditEvent.objects.filter(action="login_failed").values_list("address", flat=True))
    assert failed == {"203.0.113.66"}
