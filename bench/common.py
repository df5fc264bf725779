"""What the benchmarks share: a throwaway PostgreSQL cluster filled by `seed_demo`, gunicorn in front of it, real
sign-ins through the login form, and wrk on loopback. Everything runs on 127.0.0.1 and stops by itself."""

import http.cookiejar
import json
import os
import re
import secrets
import shutil
import socket
import string
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
PASSWORD = "Demo@2026"


def run(*args, env=None, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def portal_env(folder: Path, database_url: str) -> dict:
    # The benchmark's own database and cache: never a Redis the caller's environment names.
    inherited = {name: value for name, value in os.environ.items() if name != "DJANGO_REDIS_URL"}
    return {**inherited, "DATABASE_URL": database_url, "DJANGO_SECRET_KEY": "benchmark-" + "x" * 40,
            "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
            "DJANGO_VAR_DIR": str(folder / "var"), "DJANGO_LOG_LEVEL": "WARNING",
            # wrk's connections come from one address: the lockout is not what is measured.
            "DJANGO_LOGIN_FAILURE_LIMIT": "1000"}


@contextmanager
def scratch_database(scale: str, database_url: str | None = None):
    """A folder and the portal's environment on a database holding the demo at ``scale``: the one given (already
    seeded), else a new PostgreSQL cluster, migrated and seeded here and removed afterwards."""
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix=f"portal-bench-{scale}-"))
    folder.chmod(0o755)  # the cluster below belongs to the postgres user when we are root
    cluster = folder / "pg"
    try:
        if database_url is None:
            url = run("scripts/pg-cluster.sh", "start", str(cluster), capture_output=True, text=True).stdout.strip()
            server, name = url.rsplit("/", 1)
            with psycopg.connect(server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as db:
                db.execute(f'CREATE DATABASE "{name}"')
            env = portal_env(folder, url)
            started = time.monotonic()
            run(PYTHON, "manage.py", "migrate", "--no-input", "-v0", env=env)
            run(PYTHON, "manage.py", "seed_demo", "--scale", scale, env=env, stdout=subprocess.DEVNULL)
            print(f"Data ({scale}) ready in {time.monotonic() - started:.0f} s.", flush=True)
        else:
            env = portal_env(folder, database_url)
        run(PYTHON, "manage.py", "collectstatic", "--no-input", "-v0", env=env)
        yield folder, env
    finally:
        if database_url is None and cluster.exists():
            subprocess.run([str(ROOT / "scripts" / "pg-cluster.sh"), "stop", str(cluster)], check=False)
        shutil.rmtree(folder, ignore_errors=True)


def django_value(env: dict, code: str) -> str:
    """One value computed by the portal's own code against the benchmark database."""
    out = run(PYTHON, "manage.py", "shell", "--no-imports", "-c", code, env=env, capture_output=True, text=True)
    return out.stdout.split()[-1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def app_servers(env: dict, folder: Path, *, port: int, workers: int, count: int = 1):
    """``count`` gunicorn servers on one address (SO_REUSEPORT: the kernel shares the connections out, as a load
    balancer in front of several machines would); yields their access-log files, one per server."""
    servers, logs = [], []
    try:
        for number in range(count):
            log = folder / f"access-{port}-{number}.log"
            logs.append(log)
            servers.append(subprocess.Popen(
                [GUNICORN, "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
                 *(["--reuse-port"] if count > 1 else []), "--access-logfile", str(log),
                 "--error-logfile", str(folder / "gunicorn.log")], cwd=ROOT, env=env))
        for _attempt in range(150):
            try:
                for _server in servers:  # each server's own answer, not only the first to bind
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/robots.txt", timeout=5).close()  # noqa: S310
                break
            except OSError:
                if any(server.poll() is not None for server in servers):
                    raise SystemExit(f"gunicorn stopped: see {folder / 'gunicorn.log'}") from None
                time.sleep(0.2)
        else:
            raise SystemExit("gunicorn did not answer within 30 seconds.")
        time.sleep(1)  # every server's workers up, not only the first to answer
        yield logs
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()


@contextmanager
def redis_server(folder: Path):
    """A throwaway Redis on loopback (nothing kept on disk); yields its URL, or None where redis-server is not
    installed."""
    if not shutil.which("redis-server"):
        yield None
        return
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", str(folder)], stdout=subprocess.DEVNULL)
    try:
        for _attempt in range(100):
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("redis-server did not answer within 10 seconds.")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


# Copies of a signed-in session, as the portal's session store writes them; printed as one JSON list of keys.
SESSION_COPIES = (
    "import json; from importlib import import_module; from django.conf import settings; "
    "store = import_module(settings.SESSION_ENGINE).SessionStore; data = store(session_key={key!r}).load(); "
    "keys = []\n"
    "for _ in range({count}):\n"
    "    copy = store(); copy.update(data); copy.create(); keys.append(copy.session_key)\n"
    "print(json.dumps(keys, separators=(',', ':')))")


class Session:
    """A person signed in through the login form (and past the privacy notice on a first sign-in)."""

    def __init__(self, base: str, username: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        response = self.post("/accounts/login/", {"username": username, "password": PASSWORD})
        if "/privacy/notice/" in response.url:
            self.post(urllib.parse.urlsplit(response.url).path, {"agree": "on"})
        if "sessionid" not in self.cookies():
            raise SystemExit(f"Could not sign in as {username}.")

    def cookies(self) -> dict:
        return {cookie.name: cookie.value for cookie in self.jar}

    @property
    def header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies().items())

    def post(self, path: str, fields: dict, *, form_on: str | None = None):
        """Send a form to ``path`` as a browser would, with the token of the page it is on (``path`` itself
        unless ``form_on`` says another)."""
        with self.opener.open(self.base + (form_on or path), timeout=60) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        with self.opener.open(urllib.request.Request(self.base + path, data=data, headers={
                "Referer": self.base + (form_on or path)}), timeout=60) as response:
            response.read()
            return response

    def readers(self, env: dict, count: int) -> list[str]:
        """The Cookie headers of ``count`` readers signed in as this one is: copies of this session (made by the
        portal's own session store), each with a CSRF secret of its own, so that each has pages of its own kept."""
        copies = json.loads(django_value(env, SESSION_COPIES.format(key=self.cookies()["sessionid"], count=count)))
        alphabet = string.ascii_letters + string.digits
        return [f"sessionid={key}; csrftoken={''.join(secrets.choice(alphabet) for _ in range(32))}"
                for key in copies]

    def work_in(self, unit_pk: str) -> None:
        """Choose the unit to work in, as the unit switcher does."""
        self.post("/units/switch/", {"unit": unit_pk, "next": "/"}, form_on="/")

    def check(self, path: str) -> None:
        with self.opener.open(self.base + path, timeout=60) as response:
            if response.status != 200 or "/accounts/login/" in response.url:
                raise SystemExit(f"{path} did not answer the page itself ({response.status} {response.url}).")


# Each of gunicorn's workers compiles the templates, reads the translations and fills the URL resolver on its
# first requests (a few hundred ms, once per process start); with some 700 requests measured a page, those few
# would be the p99. The measure starts once every worker has answered for a while.
WARM_UP_SECONDS = 2


def wrk(url: str, cookie: str | list[str] | None, *, seconds: int, connections: int) -> dict:
    """wrk's figures for one URL after a warm-up left out: requests per second, p50 and p99 in ms, answers other
    than 200 (in the warm-up too). ``cookie`` is one reader's Cookie header, or a list of them: many readers, each
    request the next one's (bench/readers.lua)."""
    warm_up = _wrk(url, cookie, seconds=WARM_UP_SECONDS, connections=connections)
    figures = _wrk(url, cookie, seconds=seconds, connections=connections)
    return {**figures, "not_200": figures["not_200"] + warm_up["not_200"]}


def _wrk(url: str, cookie: str | list[str] | None, *, seconds: int, connections: int) -> dict:
    args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    if isinstance(cookie, list):
        args += ["--script", str(ROOT / "bench" / "readers.lua"), url, "--", *cookie]
    else:
        args += ["--script", str(ROOT / "bench" / "count_status.lua"), *(["-H", f"Cookie: {cookie}"] if cookie else []),
                 url]
    out = subprocess.run(args, capture_output=True, text=True, check=True).stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)),
            "p50": ms("50"), "p99": ms("99"),
            "not_200": int(re.search(r"^not 200: (\d+)$", out, re.M).group(1))
            + (sum(int(n) for n in errors.groups()) if errors else 0)}


def require_wrk() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: `apt-get install wrk` (make bench does it when it may).")
