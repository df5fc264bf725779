"""Load test: gunicorn on a throwaway PostgreSQL cluster filled by `seed_demo`, driven from loopback by wrk for
every role's main pages, each for a bounded time. Prints a table (requests per second, p50 and p99 latency,
answers other than 200) and exits non-zero when any request failed or answered anything but a 200.

    .venv/bin/python bench/load.py [--scale demo|city] [--seconds 10] [--connections 8] [--workers 4]

Needs wrk and PostgreSQL (`make load` installs wrk when it may). Everything runs on 127.0.0.1 and stops by itself.
The benchmarks with targets are bench/pages.py and bench/exports.py (`make bench`).
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Session, app_servers, django_value, free_port, require_wrk, scratch_database, wrk  # noqa: E402

# The main pages of each role: (account, label, path); a path with {campaign} takes the first launched campaign.
PAGES = [
    ("doanvien", "member: home", "/"),
    ("doanvien", "member: my commitment", "/commitment/"),
    ("doanvien", "member: honour board", "/honour/"),
    ("bithu", "secretary: home", "/"),
    ("bithu", "secretary: member list", "/members/"),
    ("bithu", "secretary: commitments", "/commitments/"),
    ("thuongvu", "committee: member list", "/members/"),
    ("thuongvu", "committee: dashboard", "/reports/"),
    ("thuongvu", "committee: campaign leaderboard", "/campaigns/{campaign}/leaderboard/"),
    ("thanhdoan", "city: dashboard", "/reports/"),
    ("thanhdoan", "city: member list", "/members/"),
    (None, "floor: robots.txt", "/robots.txt"),
]
FIRST_CAMPAIGN = ("from campaigns.models import Campaign; print(Campaign.objects.filter(state='launched')"
                  ".order_by('pk').values_list('pk', flat=True).first())")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["demo", "city"], default="city")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    require_wrk()
    with scratch_database(options.scale) as (folder, env):
        campaign = django_value(env, FIRST_CAMPAIGN)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        rows = []
        with app_servers(env, folder, port=port, workers=options.workers):
            sessions = {username: Session(base, username) for username in {u for u, *_ in PAGES if u}}
            for username, label, path in PAGES:
                path = path.format(campaign=campaign)
                cookie = None
                if username:
                    sessions[username].check(path)
                    cookie = sessions[username].header
                rows.append((label, wrk(base + path, cookie, seconds=options.seconds,
                                        connections=options.connections)))
    floor = rows[-1][1]["rps"]
    print(f"\n{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷floor':>7} {'not 200':>7}  "
          f"({options.connections} connections, {options.seconds} s each, {options.workers} workers)")
    for label, result in rows:
        print(f"{label:34} {result['rps']:8.1f} {result['p50']:8.1f} {result['p99']:8.1f} "
              f"{result['rps'] / floor:7.3f} {result['not_200']:7d}")
    failed = any(result["not_200"] for _label, result in rows)
    total = sum(result["requests"] for _label, result in rows)
    print(f"\n{total} requests, {'SOME FAILED' if failed else 'every answer a 200 (no error, no 5xx, no redirect)'}.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
