"""Load and faults against gunicorn on 127.0.0.1, over the medium data set.

Run: ``.venv/bin/python -m bench.load`` (SQLite) or with
``DATABASE_URL=postgres://...`` (then also the PostgreSQL stop). Three runs:

- **load**: 50 users for 60 s, each waiting 0.5–1.5 s between requests (as
  locust's ``between`` does), 80 % reads (portal pages anonymously, API lists
  and details with the user's token) and 20 % writes (an event with two
  participations, created through the API);
- **kill -9**: 20 writers with no pause for 20 s; one gunicorn worker is
  killed with SIGKILL 5 s in;
- **PostgreSQL stopped**: 20 writers for 25 s; the server is stopped
  (``-m immediate``, as a crash) 5 s in and started again 7 s later.

After each run every write the server acknowledged (201) is looked up: it
must be there, whole (its two participations). Writes that failed on the wire
may or may not have committed; they are counted, never required. Every
request goes to 127.0.0.1 and every loop ends by its deadline.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .common import machine, p95, setup_database
from .imports import DUMP, passerelle

HOST = "127.0.0.1"


@dataclass
class Ledger:
    """What clients were told: latencies, statuses, and the writes acknowledged."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: {"read": [], "write": []})
    by_page: dict[str, list[float]] = field(default_factory=dict)
    writes: list[tuple[float, int]] = field(default_factory=list)  # (when, status)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: set[str] = field(default_factory=set)
    attempted: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(
        self, kind: str, status: int, ms: float, uid: str | None = None, page: str = ""
    ) -> None:
        with self.lock:
            self.latencies[kind].append(ms)
            if page:
                self.by_page.setdefault(page, []).append(ms)
            self.statuses[(kind, status)] += 1
            if uid:
                self.writes.append((time.monotonic(), status))
                self.attempted.add(uid)
                if status == 201:
                    self.acknowledged.add(uid)

    def errors(self) -> int:
        return sum(n for (_kind, status), n in self.statuses.items() if not 200 <= status < 300)


class Connection:
    """One user's keep-alive connection; a broken one is reopened, and counts as status 0."""

    def __init__(self, port: int):
        self.port = port
        self.http = http.client.HTTPConnection(HOST, port, timeout=30)
        self.path, self.headers, self.body = "", {}, b""  # the last answer's

    def request(self, method: str, path: str, body=None, headers=None) -> tuple[int, float]:
        start = time.perf_counter()
        self.path, self.headers, self.body = path, {}, b""
        try:
            payload = json.dumps(body) if body is not None else None
            sent = {"Content-Type": "application/json"} if payload else {}
            self.http.request(method, path, payload, {**sent, **(headers or {})})
            response = self.http.getresponse()
            self.body = response.read()
            self.headers = {k.lower(): v for k, v in response.getheaders()}
            status = response.status
        except (OSError, http.client.HTTPException):
            self.http.close()
            self.http = http.client.HTTPConnection(HOST, self.port, timeout=30)
            status = 0
        return status, (time.perf_counter() - start) * 1000


@dataclass
class Network:
    """What the simulated users ask for, drawn from the loaded data."""

    pages: list[str]
    activity_ids: list[str]
    organization_ids: list[str]
    tokens: list[str]
    words: tuple[str, ...] = ("cancer", "lung", "immunology", "Lyon", "network", "seminar")


def prepare(scale: str, users: int) -> Network:
    seconds, _ = passerelle("import-ror", str(DUMP), "--no-progress")
    print(f"{'import-ror (seconds)':<58} {seconds:10.1f}")
    passerelle("load-demo")
    seconds, _ = passerelle("generate", "--scale", scale, "--no-progress")
    print(f"{f'generate --scale {scale} (seconds)':<58} {seconds:10.1f}")
    seconds, _ = passerelle("reindex")
    print(f"{'reindex (seconds)':<58} {seconds:10.1f}")
    return users_and_pages(users)


def users_and_pages(users: int) -> Network:
    """The simulated users (editors, a token each) and what they read, from the data loaded."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from passerelle.access.models import ApiToken
    from passerelle.access.roles import ensure_roles
    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization

    ensure_roles()
    editors = Group.objects.get(name="editor")
    tokens = []
    for n in range(users):
        user, _ = get_user_model().objects.get_or_create(
            username=f"load-{n}", defaults={"is_staff": True}
        )
        user.groups.add(editors)
        tokens.append(ApiToken.issue(user, "load")[1])
    rng = random.Random(1)
    public_activities = list(
        Activity.objects.filter(visibility="public").values_list("uid", flat=True)[:5000]
    )
    organizations = list(
        Organization.objects.filter(visibility="public").values_list("uid", flat=True)[:5000]
    )
    pages = ["/en/", reverse("portal:international-relations")]
    pages += [
        reverse("portal:activity", kwargs={"uid": u}) for u in rng.sample(public_activities, 200)
    ]
    pages += [
        reverse("portal:organization", kwargs={"uid": u}) for u in rng.sample(organizations, 200)
    ]
    return Network(
        pages=pages,
        activity_ids=[str(u) for u in public_activities],
        organization_ids=[str(u) for u in organizations],
        tokens=tokens,
    )


def write(connection: Connection, network: Network, rng, token: str, marker: str, ledger):
    uid = str(uuid.uuid4())
    first, second = rng.sample(network.organization_ids, 2)
    body = {
        "id": uid,
        "kind": "event",
        "title_en": f"{marker} {uid[:8]}",
        "start": "2026-12-01",
        "visibility": "internal",
        "participations": [
            {"actor_type": "organization", "actor_id": first, "role": "organizer"},
            {"actor_type": "organization", "actor_id": second, "role": "participant"},
        ],
    }
    auth = {"Authorization": f"Bearer {token}"}
    status, ms = connection.request("POST", "/api/activities/", body, auth)
    ledger.note("write", status, ms, uid)


def read(connection: Connection, network: Network, rng, token: str, ledger) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    choice = rng.random()
    if choice < 0.5:
        page, path, headers = "portal page", rng.choice(network.pages), {}
    elif choice < 0.75:
        page, path = "API activity", f"/api/activities/{rng.choice(network.activity_ids)}"
        headers = auth
    elif network.words:
        page, path = (
            "API organizations, q",
            (f"/api/organizations/?limit=20&q={rng.choice(network.words)}"),
        )
        headers = auth
    else:  # --no-search: the list without the search's count over the index
        page, path, headers = "API organizations", "/api/organizations/?limit=20", auth
    status, ms = connection.request("GET", path, headers=headers)
    ledger.note("read", status, ms, page=page)


def run_users(
    port: int,
    network: Network,
    *,
    users: int,
    seconds: float,
    write_share: float,
    think: tuple[float, float],
    marker: str,
    during=None,
) -> Ledger:
    """``users`` threads until the deadline; ``during(started)`` runs beside them (faults)."""
    ledger = Ledger()
    deadline = time.monotonic() + seconds

    def user(n: int) -> None:
        rng = random.Random(n)
        connection = Connection(port)
        token = network.tokens[n % len(network.tokens)]
        while time.monotonic() < deadline:
            if rng.random() < write_share:
                write(connection, network, rng, token, marker, ledger)
            else:
                read(connection, network, rng, token, ledger)
            if think[1]:
                time.sleep(min(rng.uniform(*think), max(0.0, deadline - time.monotonic())))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    if during is not None:
        during(time.monotonic())
    for thread in threads:
        thread.join()
    return ledger


def verify(marker: str, ledger: Ledger) -> dict:
    """Every acknowledged write is in the database, whole; nothing is half-written."""
    from django.db import connection
    from django.db.models import Count

    from passerelle.activities.models import Activity

    connection.close()  # the bench's own connection may predate a database restart
    found = dict(
        Activity.objects.filter(title_en__startswith=marker)
        .annotate(n=Count("participations"))
        .values_list("uid", "n")
    )
    found = {str(uid): n for uid, n in found.items()}
    return {
        "acknowledged": len(ledger.acknowledged),
        "lost": len(ledger.acknowledged - found.keys()),
        "partial": sum(1 for n in found.values() if n != 2),
        "committed, not acknowledged": len(found.keys() - ledger.acknowledged),
        "failed on the wire or refused": len(ledger.attempted - ledger.acknowledged),
    }


def report(name: str, ledger: Ledger, seconds: float) -> None:
    total = sum(ledger.statuses.values())
    print(f"\n## {name}: {total} requests in {seconds:.0f} s ({total / seconds:.0f}/s)")
    for kind, times in ledger.latencies.items():
        if times:
            ordered = sorted(times)
            median = ordered[len(ordered) // 2]
            print(
                f"{kind:<6} n={len(times):<6} median {median:7.1f} ms   p95 {p95(times):7.1f} ms"
                f"   p99 {ordered[int(0.99 * (len(ordered) - 1))]:7.1f} ms"
            )
    for page, times in sorted(ledger.by_page.items()):
        ordered = sorted(times)
        print(
            f"  {page:<22} n={len(times):<6} median {ordered[len(ordered) // 2]:7.1f} ms"
            f"   p95 {p95(times):7.1f} ms"
        )
    statuses = ", ".join(f"{k} {s}: {n}" for (k, s), n in sorted(ledger.statuses.items()))
    print(f"statuses: {statuses}; errors: {ledger.errors()}")


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "ALLOWED_HOSTS": HOST}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "passerelle.wsgi:application",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "60",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            if Connection(port).request("GET", "/health")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not answer /health")


def workers_of(server: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def postgres_cluster() -> list[str]:
    version = sorted(os.listdir("/etc/postgresql"))[0]
    return ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="medium")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=5, help="gunicorn workers an instance")
    parser.add_argument("--instances", type=int, default=0, help="gunicorn masters (bench.fleet)")
    parser.add_argument("--edits", action="store_true", help="staff edit the pages' records")
    parser.add_argument("--edit-every", type=float, default=2.0, help="seconds between edits")
    parser.add_argument(
        "--quiet-edits", type=int, default=30, help="edits checked after the load, alone"
    )
    parser.add_argument(
        "--generator-cpu", type=float, default=0.6, help="the generator's CPU budget, in cores"
    )
    parser.add_argument(
        "--reuse", action="store_true", help="DATABASE_URL already holds the data: load nothing"
    )
    parser.add_argument(
        "--no-search", action="store_true", help="API organization lists without q= (a baseline)"
    )
    args = parser.parse_args()
    # the cache (pages, the change clock, rate limits) of this run only, on a shared Redis
    os.environ.setdefault("PASSERELLE_CACHE_PREFIX", f"bench-{uuid.uuid4().hex[:12]}")
    if args.reuse:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "passerelle.settings")
        import django

        django.setup()
        from django.db import connection

        engine = connection.vendor
    else:
        engine = setup_database("passerelle_bench_load")
    print(f"# {engine}; {machine()}; gunicorn with {args.workers} workers")
    network = users_and_pages(args.users) if args.reuse else prepare(args.scale, args.users)
    if args.no_search:
        network.words = ()
    if args.instances or args.edits:
        from . import fleet

        fleet.run(
            args,
            network,
            lambda n: [free_port() for _ in range(n)],
            args.workers,
        )
        return
    port = free_port()
    server = start_server(port, args.workers)
    try:
        baseline = Ledger()
        connection = Connection(port)
        for _ in range(200):
            baseline.note("read", *connection.request("GET", "/health"))
        report("baseline: /health, one client", baseline, 1)

        ledger = run_users(
            port,
            network,
            users=args.users,
            seconds=args.seconds,
            write_share=0.2,
            think=(0.5, 1.5),
            marker="load-mixed",
        )
        report(f"load: {args.users} users, 80/20 reads/writes", ledger, args.seconds)
        print("check:", verify("load-mixed", ledger))

        def kill_a_worker(started: float) -> None:
            time.sleep(5)
            victim = workers_of(server)[0]
            os.kill(victim, signal.SIGKILL)
            print(f"killed worker {victim} with SIGKILL")

        ledger = run_users(
            port,
            network,
            users=20,
            seconds=20,
            write_share=1.0,
            think=(0, 0),
            marker="load-kill",
            during=kill_a_worker,
        )
        report("kill -9 of a worker during 20 writers", ledger, 20)
        print("check:", verify("load-kill", ledger))

        if engine == "postgresql":
            moments: dict[str, float] = {}

            def stop_postgres(started: float) -> None:
                time.sleep(5)
                moments["stopped"] = time.monotonic()
                subprocess.run([*postgres_cluster(), "stop", "-m", "immediate"], check=True)
                print("PostgreSQL stopped (immediate)")
                time.sleep(7)
                subprocess.run([*postgres_cluster(), "start"], check=True)
                moments["started"] = time.monotonic()
                print("PostgreSQL started")

            ledger = run_users(
                port,
                network,
                users=20,
                seconds=25,
                write_share=1.0,
                think=(0, 0),
                marker="load-pgstop",
                during=stop_postgres,
            )
            report("PostgreSQL stopped for 7 s during 20 writers", ledger, 25)
            print("check:", verify("load-pgstop", ledger))
            back = min(
                (t for t, status in ledger.writes if status == 201 and t > moments["started"]),
                default=None,
            )
            failing = [t for t, status in ledger.writes if status != 201]
            print(
                f"first write refused {min(failing, default=0) - moments['stopped']:.1f} s after "
                f"the stop; first acknowledged {back - moments['started']:.1f} s after the "
                f"restart; last refused {max(failing, default=0) - moments['started']:.1f} s "
                "after the restart"
                if back
                else "no write acknowledged after the restart"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
