"""Load test: gunicorn on a throwaway PostgreSQL cluster filled by `seed_demo`, driven from loopback by wrk for
every role's main pages, each for a bounded time. Prints a table (requests per second, p50 and p99 latency,
answers other than 200) and exits non-zero when any request failed or answered anything but a 200.

    .venv/bin/python bench/load.py [--scale demo|city] [--seconds 10] [--connections 8] [--workers 4]

Needs wrk and PostgreSQL (`make load` installs wrk when it may). Everything runs on 127.0.0.1 and stops by itself.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PASSWORD = "Demo@2026"

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
    (None, "floor: health check", "/healthz"),
]


def run(*args, env=None, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def start_cluster(folder: Path) -> str:
    """A throwaway cluster with an empty database named as in the URL it returns."""
    import psycopg

    url = run("scripts/pg-cluster.sh", "start", str(folder), capture_output=True, text=True).stdout.strip()
    server, name = url.rsplit("/", 1)
    with psycopg.connect(server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return url


def sign_in(base: str, username: str) -> str:
    """A real sign-in through the login form; returns the Cookie header of the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD})
    response = opener.open(urllib.request.Request(f"{base}/accounts/login/", data=data.encode(),
                                                  headers={"Referer": f"{base}/accounts/login/"}))
    if "/privacy/notice/" in response.url:  # a member's first sign-in: agree to the notice
        page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "agree": "on"})
        opener.open(urllib.request.Request(response.url, data=data.encode(), headers={"Referer": response.url}))
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {username}.")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def check_page(base: str, path: str, cookie: str | None) -> None:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request) as response:  # noqa: S310 (our own server on loopback)
        if response.status != 200 or "/accounts/login/" in response.url:
            raise SystemExit(f"{path} did not answer the page itself ({response.status} {response.url}).")


def wrk(url: str, cookie: str | None, seconds: int, connections: int) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
            "--script", str(ROOT / "bench" / "count_status.lua")]
    if cookie:
        args += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": ms("50"), "p99": ms("99"),
            "non_2xx": int(re.search(r"^not 200: (\d+)$", out, re.M).group(1)),
            "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["demo", "city"], default="city")
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make load does it when it may).")

    folder = Path(tempfile.mkdtemp(prefix="portal-load-"))
    folder.chmod(0o755)  # the cluster below belongs to the postgres user when we are root
    cluster, server = folder / "pg", None
    env = {**os.environ, "DATABASE_URL": start_cluster(cluster), "DJANGO_SECRET_KEY": "load-test-" + "x" * 40,
           "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
           "DJANGO_VAR_DIR": str(folder / "var"), "DJANGO_LOG_LEVEL": "WARNING",
           # wrk's connections come from one address: the lockout is not what is measured.
           "DJANGO_LOGIN_FAILURE_LIMIT": "1000"}
    try:
        started = time.monotonic()
        run(PYTHON, "manage.py", "migrate", "--no-input", "-v0", env=env)
        run(PYTHON, "manage.py", "seed_demo", "--scale", options.scale, env=env, stdout=subprocess.DEVNULL)
        run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
        campaign = run(PYTHON, "manage.py", "shell", "--no-imports", "-c",
                       "from campaigns.models import Campaign; print(Campaign.objects.filter("
                       "state='launched').order_by('pk').values_list('pk', flat=True).first())",
                       env=env, capture_output=True, text=True).stdout.split()[-1]
        print(f"Data ({options.scale}) ready in {time.monotonic() - started:.0f} s.")
        with socket.socket() as probe:  # a port nobody uses now
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind",
                                   f"127.0.0.1:{port}", "--workers", str(options.workers), "--access-logfile",
                                   "/dev/null", "--error-logfile", str(folder / "gunicorn.log")], cwd=ROOT, env=env)
        for _attempt in range(150):
            try:
                urllib.request.urlopen(f"{base}/healthz")  # noqa: S310
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit(f"gunicorn stopped: see {folder / 'gunicorn.log'}") from None
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer within 30 seconds.")
        cookies = {username: sign_in(base, username) for username in {u for u, *_ in PAGES if u}}
        rows, failed = [], False
        for username, label, path in PAGES:
            path = path.format(campaign=campaign)
            cookie = cookies.get(username)
            check_page(base, path, cookie)
            result = wrk(base + path, cookie, options.seconds, options.connections)
            rows.append((label, path, result))
            failed |= bool(result["non_2xx"] or result["socket_errors"])
        floor = rows[-1][2]["rps"]
        print(f"\n{'page':34} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'÷floor':>7} {'not 200':>7}  "
              f"({options.connections} connections, {options.seconds} s each, {options.workers} workers)")
        for label, path, result in rows:
            errors = result["non_2xx"] + result["socket_errors"]
            print(f"{label:34} {result['rps']:8.1f} {result['p50']:8.1f} {result['p99']:8.1f} "
                  f"{result['rps'] / floor:7.3f} {errors:7d}")
        total = sum(result["requests"] for *_rest, result in rows)
        print(f"\n{total} requests, {'SOME FAILED' if failed else 'every answer a 200 (no error, no 5xx, no redirect)'}.")
        return 1 if failed else 0
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "stop", str(cluster)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
