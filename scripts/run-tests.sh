#!/usr/bin/env bash
# The whole suite, twice: on SQLite (the embedded default) and on a throwaway PostgreSQL cluster
# (the production database). Browser tests run in both, except the four personas' accessibility walks (PostgreSQL only:
# the longest tests, and what the browser is given does not depend on the database). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

export DJANGO_SECRET_KEY=tests-only-secret-key-not-for-production
export DJANGO_HTTPS=0
export DJANGO_ALLOWED_HOSTS=testserver,localhost,127.0.0.1
export DJANGO_VAR_DIR="$PWD/var/test"
export DJANGO_DEBUG=0
unset DATABASE_URL

mkdir -p "$DJANGO_VAR_DIR"
# Tests run against the manifest storage production uses, so a missing static file fails a test.
.venv/bin/python manage.py collectstatic --noinput -v0

workers=${PYTEST_WORKERS:-auto}

echo "== SQLite =="
.venv/bin/python -m pytest -n "$workers" "$@"

echo "== PostgreSQL =="
pg_dir=$(mktemp -d /tmp/portal-pg.XXXXXX)
trap 'scripts/pg-cluster.sh stop "$pg_dir"' EXIT
# No autovacuum: it would analyse tables that rolled-back tests left full of dead rows as "0 rows", and the
# planner would then join the next test's thousands of rows by nested loops (a CI run hung on one count).
DATABASE_URL=$(PG_OPTIONS="-c autovacuum=off" scripts/pg-cluster.sh start "$pg_dir")
export DATABASE_URL
.venv/bin/python -m pytest -n "$workers" "$@"
