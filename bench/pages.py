"""Pages at scale: gunicorn on PostgreSQL filled by `seed_demo --scale`, wrk on loopback, for the lists and
dashboards the issue names and a floor page (robots.txt: the same middleware stack and a template, no query), all
in one run, answered from the page kept for the reader and then drawn by the view every time; then the member
list again with two app servers behind one address, on the same database; then the pages again with the cache and
the sessions in a throwaway Redis (where redis-server is installed), as the README's larger deployment runs them;
last, every other list a city committee member opens, kept for them in the same way.

Prints requests per second, p50 and p99 latency, each page's throughput as a share of the floor's (measured just
before and just after the page), and whether it meets its target (p99 under 250 ms; at least 1/4 of the floor for a
list, 1/6 for a dashboard). The floor's row gives the mean of its measures and the highest of their latencies.

    .venv/bin/python bench/pages.py [--scale city|metro] [--database-url URL] [--seconds 10] [--json FILE]

Without --database-url a throwaway cluster is created and seeded (minutes). Exit status 1 if any request failed.
"""

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    PYTHON,
    ROOT,
    WARM_UP_SECONDS,
    Session,
    app_servers,
    django_value,
    free_port,
    redis_server,
    require_wrk,
    scratch_database,
    wrk,
)

P99_LIMIT_MS = 250
# Throughput a page must keep, as a share of the floor page's.
SHARE_OF_FLOOR = {"list": 1 / 4, "dashboard": 1 / 6, "floor": 1}

# (label, kind, account, unit to work in, path); {campaign} is the city-wide campaign of the scale data.
PAGES = [
    ("member list (city union)", "list", "thanhdoan", None, "/members/"),
    ("commitment list (a branch)", "list", "thanhdoan", "branch", "/commitments/?state=approved"),
    ("dashboard (city union)", "dashboard", "thanhdoan", None, "/reports/"),
    ("campaign leaderboard (city-wide)", "dashboard", "thanhdoan", None, "/campaigns/{campaign}/leaderboard/"),
    ("floor: robots.txt", "floor", None, None, "/robots.txt"),
]
# The busy hour: readers coming back in turn (each with their own kept pages), and changes of commitments
# committed meanwhile (7,200 an hour: a registration season's peak for a city of 50,000 members).
BUSY_READERS = 200
BUSY_WRITES_PER_SECOND = 2
# Prints how many changes it committed when stopped (SIGTERM) or done.
COMMITMENT_WRITER = (
    "import random, signal, sys, time; from django.db import transaction; from movements.models import Commitment\n"
    "ids = list(Commitment.objects.values_list('pk', flat=True)); end = time.monotonic() + {seconds}; written = 0\n"
    "def stop(*args):\n"
    "    print(written, flush=True); sys.exit(0)\n"
    "signal.signal(signal.SIGTERM, stop)\n"
    "while time.monotonic() < end:\n"
    "    with transaction.atomic():\n"
    "        Commitment.objects.filter(pk=random.choice(ids)).update(\n"
    "            review_comment=f'Đã xem lúc {{time.time():.0f}}')\n"
    "    written += 1\n"
    "    time.sleep({interval})\n"
    "stop()")
# Every other kept list (tests/test_query_budgets.py names them all) as the city union's committee member opens
# it: (label, URL name, what its address names). The commitments' classification is a grassroots committee's.
OTHER_LISTS = [
    ("members coming of age", "members:coming_of_age", None),
    ("a unit and its units", "members:unit", "unit"),
    ("movement years", "movements:years", None),
    ("evidence", "movements:evidence", None),
    ("youth projects", "movements:projects", None),
    ("initiatives", "movements:initiatives", None),
    ("advanced collectives", "movements:collectives", None),
    ("activities", "movements:activities", None),
    ("an activity's attendance", "movements:activity", "activity"),
    ("campaigns", "campaigns:campaigns", None),
    ("a campaign's registrations", "campaigns:registrations", "campaign"),
    ("a campaign's review", "campaigns:review", "review"),
    ("awards", "campaigns:awards", None),
    ("feedback points", "campaigns:feedback_points", None),
    ("a feedback point's opinions", "campaigns:feedback_point", "point"),
    ("report archive", "reports:archive", None),
]
# The addresses of OTHER_LISTS in the scale data: the largest of each kind of record named.
OTHER_LIST_PATHS = (
    "import json; from django.db.models import Count; from django.urls import reverse; "
    "from campaigns.models import Campaign, FeedbackPoint, Review; from members.models import RoleAssignment; "
    "from movements.models import Activity; "
    "c = Campaign.objects.annotate(n=Count('registrations')).order_by('-n', 'pk').first(); "
    "named = {'unit': RoleAssignment.objects.filter(user__username='thanhdoan').first().unit_id, "
    "'activity': Activity.objects.annotate(n=Count('attendances')).order_by('-n', 'pk').first().pk, "
    "'campaign': c.pk, "
    "'review': getattr(Review.objects.annotate(n=Count('entries')).order_by('-n', 'pk').first(), 'pk', None), "
    "'point': FeedbackPoint.objects.annotate(n=Count('feedback')).order_by('-n', 'pk').first().pk}; "
    "print(json.dumps([reverse(name, args=[named[arg]] if arg else []) if not arg or named[arg] else None "
    "for name, arg in LISTS], separators=(',', ':')))")
SCALE_DATA = (
    "from campaigns.models import Campaign; from members.models import Unit; from django.db.models import Count; "
    "c = Campaign.objects.annotate(n=Count('registrations')).order_by('-n', 'pk').first(); "
    "b = Unit.objects.filter(code__startswith='scale-', kind='branch').order_by('path').first(); "
    "print(f'{c.pk},{b.pk}')")


def _measure_pages(env, folder, *, campaign: str, branch: str, seconds: int, connections: int,
                   workers: int, pages: list = PAGES, readers: int = 1) -> list[dict]:
    """Each page between two measures of the floor: its share is of the floor measured just before and just after
    it, so a drift of the machine during the run (another guest on the host, the clock) moves both alike."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    rows, floors = [], []
    floor_label, floor_kind, _account, _unit, floor_path = next(page for page in PAGES if page[1] == "floor")

    def measure_floor():
        floors.append(wrk(base + floor_path, None, seconds=seconds, connections=connections))

    with app_servers(env, folder, port=port, workers=workers):
        sessions = {}
        measure_floor()
        for label, kind, account, unit, path in pages:
            if kind == "floor":
                continue
            path = path.format(campaign=campaign)
            key = (account, unit)
            if key not in sessions:
                sessions[key] = Session(base, account)
                if unit == "branch":
                    sessions[key].work_in(branch)
            sessions[key].check(path)
            cookies = sessions[key].header if readers == 1 else sessions[key].readers(env, readers)
            row = {"label": label, "kind": kind, "path": path,
                   **wrk(base + path, cookies, seconds=seconds, connections=connections)}
            measure_floor()
            row["floor_rps"] = (floors[-2]["rps"] + floors[-1]["rps"]) / 2
            rows.append(row)
    rows.append({"label": floor_label, "kind": floor_kind, "path": floor_path, "measures": len(floors),
                 "rps": sum(floor["rps"] for floor in floors) / len(floors),
                 "p50": max(floor["p50"] for floor in floors), "p99": max(floor["p99"] for floor in floors),
                 "not_200": sum(floor["not_200"] for floor in floors)})
    rows[-1]["floor_rps"] = rows[-1]["rps"]
    for row in rows:
        row["share_of_floor"] = row["rps"] / row["floor_rps"]
        row["meets"] = row["p99"] < P99_LIMIT_MS and row["share_of_floor"] >= SHARE_OF_FLOOR[row["kind"]]
    return rows


def _while_commitments_change(env, folder, measured: dict) -> dict:
    """The four pages, each reader's request the next of BUSY_READERS readers', while a writer commits
    BUSY_WRITES_PER_SECOND changes of commitments across the city for as long as they are measured."""
    # Long enough for the measures, the floors between them and the sign-ins; stopped when they are done.
    pages_seconds = (len(PAGES) - 1) * (measured["seconds"] + WARM_UP_SECONDS) * 4 + 60
    writer = subprocess.Popen([PYTHON, "manage.py", "shell", "--no-imports", "-c", COMMITMENT_WRITER.format(
        seconds=pages_seconds, interval=1 / BUSY_WRITES_PER_SECOND)], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        text=True)
    started = time.monotonic()
    try:
        rows = _measure_pages(env, folder, **measured, readers=BUSY_READERS)
    finally:
        writer.terminate()
        written = writer.communicate(timeout=30)[0].split()
    return {"rows": rows, "readers": BUSY_READERS, "writes_per_second": BUSY_WRITES_PER_SECOND,
            "measured_seconds": round(time.monotonic() - started), "writes": int(written[-1]) if written else None}


def measure(env, folder, *, seconds: int, connections: int, workers: int) -> dict:
    campaign, branch = django_value(env, SCALE_DATA).split(",")
    measured = {"campaign": campaign, "branch": branch, "seconds": seconds, "connections": connections,
                "workers": workers}
    rows = _measure_pages(env, folder, **measured)
    # The same pages drawn by their views every time (from the figures and rows kept below them): what a reader
    # waits for the first time after the data changed.
    drawn = _measure_pages({**env, "DJANGO_PAGE_CACHE_MINUTES": "0"}, folder, **measured)
    # Two servers of `workers` workers each on one port: the kernel shares the connections out between them.
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with app_servers(env, folder, port=port, workers=workers, count=2) as logs:
        member_list = Session(base, "thanhdoan")
        shared = wrk(base + "/members/", member_list.header, seconds=seconds, connections=connections)
    served = [sum(1 for line in log.read_text().splitlines() if '"GET /members/' in line) for log in logs]
    # The same pages with the cache (and so the sessions) in Redis, as a larger deployment runs them.
    with redis_server(folder) as redis_url:
        with_redis = _measure_pages({**env, "DJANGO_REDIS_URL": redis_url}, folder, **measured) if redis_url else None
    # A busy hour: many readers coming back in turn while commitments are reviewed across the city, every write
    # committed; a page that shows commitments is drawn again after each, the others stay kept.
    busy = _while_commitments_change(env, folder, measured)
    # Every other kept list, measured as long as the four: in half as long a measure, a page's share moved from one
    # run to the next by more than its margin over a quarter.
    paths = json.loads(django_value(env, OTHER_LIST_PATHS.replace("LISTS", repr(
        [(name, arg) for _label, name, arg in OTHER_LISTS]))))
    other_lists = _measure_pages(env, folder, **measured, pages=[
        (label, "list", "thanhdoan", None, path) for (label, _name, _arg), path in zip(OTHER_LISTS, paths, strict=True)
        if path is not None])
    return {"pages": rows, "drawn_pages": drawn, "two_servers": {**shared, "served_by_each": served},
            "redis_pages": with_redis, "other_lists": other_lists, "busy": busy,
            "connections": connections, "seconds": seconds, "workers": workers}


def print_table(scale: str, result: dict) -> None:
    tables = [("the database's cache", result["pages"]),
              ("drawn by the view every time (DJANGO_PAGE_CACHE_MINUTES=0)", result["drawn_pages"])]
    if result.get("redis_pages"):
        tables.append(("Redis for the cache and sessions", result["redis_pages"]))
    if result.get("other_lists"):
        tables.append(("every other kept list, the database's cache", result["other_lists"]))
    if result.get("busy"):
        busy = result["busy"]
        tables.append((f"{busy['readers']} readers in turn while {busy['writes_per_second']} changes of commitments a "
                       f"second are committed ({busy['writes']} in {busy['measured_seconds']} s)", busy["rows"]))
    for cache, rows in tables:
        print(f"\nPages at {scale} scale, {cache} ({result['connections']} connections, {result['seconds']} s each, "
              f"gunicorn {result['workers']} workers):")
        print(f"{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷floor':>7} {'target':>7} {'not 200':>7}  met")
        for row in rows:
            print(f"{row['label']:34} {row['rps']:8.1f} {row['p50']:8.1f} {row['p99']:8.1f} "
                  f"{row['share_of_floor']:7.2f} {SHARE_OF_FLOOR[row['kind']]:7.2f} {row['not_200']:7d}  "
                  f"{'yes' if row['meets'] else 'NO'}")
    if not result.get("redis_pages"):
        print("(No redis-server here: the round with Redis was left out.)")
    shared = result["two_servers"]
    print(f"Two app servers on one address, one database: member list {shared['rps']:.1f} req/s, p99 "
          f"{shared['p99']:.1f} ms, requests answered by each: {' + '.join(map(str, shared['served_by_each']))}, "
          f"not 200: {shared['not_200']}.")


def failed(result: dict) -> bool:
    return (any(row["not_200"] for row in [*result["pages"], *result["drawn_pages"],
                                           *(result.get("redis_pages") or []), *(result.get("other_lists") or []),
                                           *(result.get("busy") or {}).get("rows", [])])
            or bool(result["two_servers"]["not_200"]))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["city", "metro"], default="city")
    parser.add_argument("--database-url", help="a database already seeded at that scale (else a new cluster)")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    options = parser.parse_args(argv)
    require_wrk()
    with scratch_database(options.scale, options.database_url) as (folder, env):
        result = measure(env, folder, seconds=options.seconds, connections=options.connections,
                         workers=options.workers)
    print_table(options.scale, result)
    if options.json:
        options.json.write_text(json.dumps(result, indent=2))
    return 1 if failed(result) else 0


if __name__ == "__main__":
    sys.exit(main())
