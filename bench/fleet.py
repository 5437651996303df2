"""``bench.load --instances N --edits``: N gunicorn masters and two RQ workers on one database
and one Redis, the load generator in a process of its own, staff editing as readers read.

What it reports, beside bench.load's latencies and lost writes:

- the generator's own CPU time (from ``os.wait4``) against its budget, and the servers' and
  workers' CPU time in the same run (from /proc), so that the client's share is known;
- ``/health``'s p95 in the same run, and reads' p95 over it: how much of a read is the
  request's own work rather than the machine's queueing;
- the edits made through one instance and read at once through the other: mismatches;
- the share of portal answers that say ``X-Passerelle-Cache: hit`` (n/a without the header);
- a worker killed mid-task (SIGKILL to its work-horse, as the OOM killer does): whether the
  task was run again and its work is whole.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from .common import p95
from .load import Ledger, Network, report, start_server, verify


def edit_targets() -> list[dict]:
    """The records the pages read that staff edit: a small partner, the hub, an activity in
    France (public, each; the first of each kind by id, so that runs edit the same)."""
    from django.db.models import Count
    from django.urls import reverse

    from passerelle.activities.models import Activity
    from passerelle.registry.models import Organization

    public = Organization.objects.filter(visibility="public", draft=False)
    small = (
        public.annotate(n=Count("participations"))
        .filter(n__gte=1, n__lte=3)
        .exclude(acronym="CLARA")
        .order_by("pk")
        .first()
    )
    hub = public.filter(acronym="CLARA").order_by("pk").first()
    french = (
        Activity.objects.filter(visibility="public", draft=False, places__country="FR")
        .order_by("pk")
        .first()
    )
    targets = []
    for name, record, collection, page in (
        ("small partner", small, "organizations", "portal:organization"),
        ("hub CLARA", hub, "organizations", "portal:organization"),
        ("activity in France", french, "activities", "portal:activity"),
    ):
        if record is None:
            raise SystemExit(f"no {name} in the data set to edit")
        targets.append(
            {
                "name": name,
                "collection": collection,
                "id": str(record.uid),
                "page": reverse(page, kwargs={"uid": record.uid}),
            }
        )
    return targets


def editor_token() -> str:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from passerelle.access.models import ApiToken

    user, _ = get_user_model().objects.get_or_create(
        username="load-editor", defaults={"is_staff": True}
    )
    user.groups.add(Group.objects.get(name="editor"))
    return ApiToken.issue(user, "load edits")[1]


def start_workers(count: int, logs: Path) -> list[subprocess.Popen]:
    """``passerelle rqworker`` × count (RQ's forking worker: one work-horse per job)."""
    workers = []
    for n in range(count):
        with open(logs / f"rqworker-{n}.log", "wb") as log:  # the child keeps its own copy
            workers.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "passerelle",
                        "rqworker",
                        "default",
                        "--name",
                        f"bench-{n}",
                    ],
                    env=os.environ.copy(),
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
    return workers


def children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and of its children, living and reaped (from /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))  # utime stime cutime cstime
    return ticks / os.sysconf("SC_CLK_TCK") + sum(cpu_seconds(c) for c in children(pid))


def run_generator(config: dict, folder: Path) -> tuple[dict, float, float]:
    """The generator in its own process: (its result, its CPU seconds, wall seconds)."""
    (folder / "config.json").write_text(json.dumps(config))
    start = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.generator", folder / "config.json", folder / "result.json"],
        cwd=Path(__file__).resolve().parent.parent,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    cpu = usage.ru_utime + usage.ru_stime
    if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
        raise SystemExit(f"the generator used its CPU budget up ({cpu:.0f} s): figures void")
    if status:
        raise SystemExit(f"the generator failed (status {status})")
    return json.loads((folder / "result.json").read_text()), cpu, wall


def as_ledger(result: dict) -> Ledger:
    ledger = Ledger()
    ledger.latencies = result["latencies"]
    ledger.by_page = result["by_page"]
    ledger.statuses = Counter({(kind, status): n for kind, status, n in result["statuses"]})
    ledger.acknowledged = set(result["acknowledged"])
    ledger.attempted = set(result["attempted"])
    return ledger


def kill_a_worker_mid_task(workers: list[subprocess.Popen], activities: int = 6000) -> dict:
    """Spoil some search entries behind the records' back, ask the queue to rewrite them,
    SIGKILL the work-horse doing it a second in, and see the task run again and finish."""
    import django_rq
    from django.contrib.contenttypes.models import ContentType
    from django_tasks.base import TaskResultStatus

    from passerelle.activities.models import Activity
    from passerelle.search.models import SearchEntry
    from passerelle.search.tasks import reindex_records

    pks = list(Activity.objects.order_by("pk").values_list("pk", flat=True)[:activities])
    entries = SearchEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Activity), object_id__in=pks
    )
    queue = django_rq.get_queue("default")
    waited, backlog = time.monotonic(), queue.count
    while queue.count and time.monotonic() - waited < 300:  # the load's tasks go first
        time.sleep(0.5)
    drained = f"{backlog} queued after the load, {queue.count} left after "
    drained += f"{time.monotonic() - waited:.0f} s"
    spoiled = entries.update(title="spoiled by the bench")
    result = reindex_records.enqueue("activities.Activity", pks)
    by_name = {f"bench-{n}": worker for n, worker in enumerate(workers)}
    killed, deadline = None, time.monotonic() + 300
    while time.monotonic() < deadline and killed is None:
        job = queue.fetch_job(result.id)
        if job is None or job.get_status() in ("finished", "failed"):
            break
        if job.get_status() == "started" and job.worker_name in by_name:
            time.sleep(1)
            horses = children(by_name[job.worker_name].pid)
            if horses and job.get_status() == "started":
                os.kill(horses[0], signal.SIGKILL)
                killed = (job.worker_name, horses[0], time.monotonic())
        time.sleep(0.1)
    while time.monotonic() < deadline:
        status = reindex_records.get_result(result.id).status
        job = queue.fetch_job(result.id)
        if job is not None and job.get_status() == "finished":
            break
        if status == TaskResultStatus.FAILED and job is not None and not job.retries_left:
            break
        time.sleep(0.5)
    job = queue.fetch_job(result.id)
    return {
        "backlog": drained,
        "entries spoiled": spoiled,
        "horse killed": f"{killed[1]} of {killed[0]}" if killed else "none (finished first)",
        "job status": job.get_status() if job else "gone",
        "retries left": job.retries_left if job else None,
        "seconds from the kill to the end": round(time.monotonic() - killed[2], 1)
        if killed
        else None,
        "entries still spoiled": entries.filter(title="spoiled by the bench").count(),
    }


def run(args, network: Network, ports_of, workers_per_instance: int) -> None:
    """The whole scenario; ``ports_of(n)`` gives n free ports."""
    import django_rq

    folder = Path(tempfile.mkdtemp(prefix="passerelle-fleet-"))
    marker = f"load-fleet-{folder.name[-8:]}"  # this run's writes, on a reused database
    django_rq.get_queue("default").empty()
    args.instances = max(1, args.instances)
    ports = ports_of(args.instances)
    servers = [start_server(port, workers_per_instance) for port in ports]
    workers = start_workers(2, folder) if os.environ.get("REDIS_URL") else []
    print(f"# {args.instances} instance(s) on {ports}, {workers_per_instance} workers each; "
          f"{len(workers)} rq workers; logs in {folder}")  # fmt: skip
    try:
        config = {
            "ports": ports,
            "network": network.__dict__,
            "users": args.users,
            "seconds": args.seconds,
            "write_share": 0.2,
            "think": [0.5, 1.5],
            "marker": marker,
            "cpu_budget_seconds": args.generator_cpu * args.seconds,
            "edits": {"targets": edit_targets(), "token": editor_token(), "every": args.edit_every}
            if args.edits
            else None,
        }
        if workers:  # first, on idle workers: a task is not left behind the load's backlog
            print("worker killed mid-task:", kill_a_worker_mid_task(workers))
        before = {pid: cpu_seconds(pid) for pid in [s.pid for s in servers + workers]}
        load_before = os.getloadavg()
        result, generator_cpu, wall = run_generator(config, folder)
        load_after = os.getloadavg()
        servers_cpu = sum(cpu_seconds(s.pid) - before[s.pid] for s in servers)
        workers_cpu = sum(cpu_seconds(w.pid) - before[w.pid] for w in workers)
        ledger = as_ledger(result)
        title = f"{args.instances} instance(s), {args.users} users, 80/20"
        report(title + (", with edits" if args.edits else ""), ledger, args.seconds)
        print("check:", verify(marker, ledger))
        reads, health = ledger.latencies["read"], ledger.latencies["health"]
        print(
            f"reads p95 {p95(reads):.1f} ms / /health p95 {p95(health):.1f} ms = "
            f"{p95(reads) / p95(health):.1f}×"
        )
        writes = ledger.latencies["write"] + ledger.latencies["edit"]
        print(f"writes and edits together: n={len(writes)} p95 {p95(writes):.1f} ms")
        print(
            f"CPU seconds over {wall:.0f} s: generator {generator_cpu:.1f} (budget "
            f"{config['cpu_budget_seconds']:.0f}, {generator_cpu / wall:.2f} of a core), "
            f"gunicorn {servers_cpu:.1f}, rq workers {workers_cpu:.1f}; load average "
            f"{load_before[0]:.1f} before, {load_after[0]:.1f} after"
        )
        hits = result["cache"]
        total = sum(hits.values())
        print(
            "portal cache: "
            + (f"{hits.get('hit', 0) / total:.0%} hits of {total}" if total else "n/a (no header)")
        )
        if result["edits"] is not None:
            edits = result["edits"]
            print(
                f"edits: {edits['done']} made through one instance, read at once through the "
                f"other: {len(edits['mismatches'])} mismatches, {len(edits['failed'])} failed"
            )
            for line in (edits["mismatches"] + edits["failed"])[:10]:
                print("  ", line)
        if args.edits:  # and again with nobody else asking: many edits, each checked
            from .generator import Edits

            quiet = Edits(ports, config["edits"]["targets"], config["edits"]["token"], Ledger())
            quiet.ledger.latencies.update(edit=[], check=[])
            for n in range(args.quiet_edits):
                quiet.one(n)
            edit_times, check_times = (
                quiet.ledger.latencies["edit"],
                quiet.ledger.latencies["check"],
            )
            print(
                f"after the load, {quiet.done} edits through one instance, each read at once "
                f"through the other (API and page): {len(quiet.mismatches)} mismatches, "
                f"{len(quiet.failed)} failed; edit p95 {p95(edit_times):.0f} ms, "
                f"read-back p95 {p95(check_times):.0f} ms"
            )
            for line in (quiet.mismatches + quiet.failed)[:10]:
                print("  ", line)
        if workers:
            queue = django_rq.get_queue("default")
            print(
                f"task queue after the load: {queue.count} waiting, "
                f"{queue.finished_job_registry.count} done, "
                f"{queue.failed_job_registry.count} failed"
            )
    finally:
        for process in servers + workers:
            process.terminate()
        for process in servers + workers:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
