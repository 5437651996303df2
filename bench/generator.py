"""The load generator of ``bench.load --instances/--edits``, in a process of its own.

It imports no Django: what it costs is the client's work only (threads, sockets, JSON),
measured by the parent (``os.wait4``) and held to a CPU budget (``RLIMIT_CPU``: past it the
kernel stops the generator, and the run says so instead of reporting figures skewed by a
client that starved the servers). Run by bench/load.py as
``python -m bench.generator CONFIG.json RESULT.json``.

Beside the users (bench.load's mix of reads and writes, each request to the next instance
in turn, as a round-robin balancer sends them):

- ``/health`` every 0.2 s, to the instances in turn: the server's floor in the same run;
- with edits, a staff editor changes the records the pages read (a small partner, the hub,
  an activity in France) through the API of one instance (GET for the ETag, PATCH with
  ``If-Match``), then at once reads the record through the *other* instance, by the API and
  by its portal page: a read that does not show the edit is a mismatch.
"""

from __future__ import annotations

import json
import random
import resource
import sys
import threading
import time
from pathlib import Path

from .load import Connection, Ledger, Network, read, write

CACHE_HEADER = "x-passerelle-cache"


class Balanced:
    """One keep-alive connection per instance; each request goes to the next instance."""

    def __init__(self, ports: list[int], first: int = 0):
        self.connections = [Connection(port) for port in ports]
        self.turn = first

    def request(self, *args, **kwargs) -> tuple[int, float]:
        connection = self.connections[self.turn % len(self.connections)]
        self.turn += 1
        answer = connection.request(*args, **kwargs)
        self.last = connection
        return answer


class Edits:
    """The staff editor's changes and the reads through the other instance that check them."""

    def __init__(self, ports: list[int], targets: list[dict], token: str, ledger: Ledger):
        self.ports, self.targets, self.ledger = ports, targets, ledger
        self.auth = {"Authorization": f"Bearer {token}"}
        self.connections = [Connection(port) for port in ports]
        self.done = 0
        self.mismatches: list[str] = []
        self.failed: list[str] = []

    def one(self, n: int) -> None:
        target = self.targets[n % len(self.targets)]
        writer = self.connections[n % len(self.ports)]
        reader = self.connections[(n + 1) % len(self.ports)]
        marker = f"Edit {n} {random.getrandbits(32):08x}"
        api = f"/api/{target['collection']}/{target['id']}"
        status, ms = writer.request("GET", api, headers=self.auth)
        if status != 200:
            self.failed.append(f"GET {api}: {status}")
            return
        etag = writer.headers.get("etag", "")
        record = json.loads(writer.body)
        if target["collection"] == "organizations":
            names = [o for o in record.get("other_names", []) if not o["value"].startswith("Edit ")]
            body = {"other_names": [*names, {"value": marker, "kind": "alias"}]}
        else:
            body = {"summary_en": marker}
        status, ms = writer.request("PATCH", api, body, {**self.auth, "If-Match": etag})
        self.ledger.note("edit", status, ms, page=f"edit: {target['name']}")
        if status != 200:
            self.failed.append(f"PATCH {api}: {status} {writer.body[:200]!r}")
            return
        self.done += 1
        # at once, through the other instance: the API's record and the portal's page
        status, ms = reader.request("GET", api, headers=self.auth)
        self.ledger.note("check", status, ms, page="check: API, other instance")
        if status != 200 or marker.encode() not in reader.body:
            self.mismatches.append(f"API {api} through {reader.port}: {status}")
        status, ms = reader.request("GET", target["page"])
        self.ledger.note("check", status, ms, page=f"check: page of {target['name']}")
        if status != 200 or marker.encode() not in reader.body:
            self.mismatches.append(f"page {target['page']} through {reader.port}: {status}")


def run(config: dict) -> dict:
    ports = config["ports"]
    network = Network(**config["network"])
    seconds, users = config["seconds"], config["users"]
    ledger = Ledger()
    ledger.latencies.update(health=[], edit=[], check=[])
    cache_answers: dict[str, int] = {}
    deadline = time.monotonic() + seconds

    def user(n: int) -> None:
        rng = random.Random(n)
        balanced = Balanced(ports, first=n)
        token = network.tokens[n % len(network.tokens)]
        while time.monotonic() < deadline:
            if rng.random() < config["write_share"]:
                write(balanced, network, rng, token, config["marker"], ledger)
            else:
                read(balanced, network, rng, token, ledger)
                said = balanced.last.headers.get(CACHE_HEADER)
                if said and balanced.last.path.startswith(("/en/", "/fr/")):
                    with ledger.lock:
                        cache_answers[said] = cache_answers.get(said, 0) + 1
            time.sleep(min(rng.uniform(*config["think"]), max(0.0, deadline - time.monotonic())))

    def health() -> None:
        balanced = Balanced(ports)
        while time.monotonic() < deadline:
            status, ms = balanced.request("GET", "/health")
            ledger.note("health", status, ms)
            time.sleep(0.2)

    edits = None
    if config.get("edits"):
        edits = Edits(ports, config["edits"]["targets"], config["edits"]["token"], ledger)

    def edit() -> None:
        n = 0
        while time.monotonic() < deadline:
            started = time.monotonic()
            edits.one(n)
            n += 1
            time.sleep(max(0.0, config["edits"]["every"] - (time.monotonic() - started)))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    threads.append(threading.Thread(target=health))
    if edits:
        threads.append(threading.Thread(target=edit))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    used = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "latencies": ledger.latencies,
        "by_page": ledger.by_page,
        "statuses": [[kind, status, n] for (kind, status), n in ledger.statuses.items()],
        "acknowledged": sorted(ledger.acknowledged),
        "attempted": sorted(ledger.attempted),
        "cache": cache_answers,
        "edits": {
            "done": edits.done,
            "mismatches": edits.mismatches,
            "failed": edits.failed,
        }
        if edits
        else None,
        "cpu_seconds": used.ru_utime + used.ru_stime,
    }


def main() -> None:
    config_path, result_path = sys.argv[1:3]
    config = json.loads(Path(config_path).read_text())
    budget = config.get("cpu_budget_seconds")
    if budget:
        resource.setrlimit(resource.RLIMIT_CPU, (int(budget), int(budget) + 5))
    Path(result_path).write_text(json.dumps(run(config)))


if __name__ == "__main__":
    main()
