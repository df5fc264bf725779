# The two commands of the README: `make run` and `make test`. Both set up everything they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test audit load bench wrk redis-server setup system-deps messages migrate demo check-deploy backup restore clean

# The background worker (long imports) runs beside the development server and stops with it.
run: setup migrate demo
	$(DEV_ENV) $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker' EXIT; \
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: setup
	scripts/run-tests.sh
	scripts/audit.sh

audit: setup
	scripts/audit.sh

setup: system-deps $(VENV)/.installed node_modules/.installed messages

system-deps:
	@scripts/install-system-deps.sh

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	@$(DEV_ENV) $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v0

migrate:
	$(DEV_ENV) $(MANAGE) migrate --no-input -v0

# seed_demo adds only what is missing, so running it at every start loads the demo data once.
demo:
	$(DEV_ENV) $(MANAGE) seed_demo

check-deploy:
	DJANGO_DEBUG=0 DJANGO_SECRET_KEY=check-deploy-$$RANDOM-$$RANDOM-$$RANDOM-long-enough-to-pass-the-check \
	  DJANGO_ALLOWED_HOSTS=portal.example.org $(MANAGE) check --deploy --fail-level WARNING

# gunicorn on a throwaway PostgreSQL with the city-scale demo, every role's main pages driven by wrk on loopback.
load: setup wrk
	$(PY) bench/load.py --scale $${SCALE:-city}

# The benchmarks of bench/ at city and metro scale (about 40 minutes here); results in bench/RESULTS.md.
# SCALES=city for the city alone.
bench: setup wrk redis-server
	$(PY) bench/run.py --scales $${SCALES:-city,metro}

wrk:
	@command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq wrk >/dev/null; } || \
	  { echo "Install wrk (apt-get install wrk) first."; exit 2; }

# The pages' second round (cache and sessions in Redis); without it the benchmark leaves that round out.
redis-server:
	@command -v redis-server >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -qq redis-server >/dev/null; } || \
	  echo "No redis-server (apt-get install redis-server): the benchmark's Redis round is left out."

# A consistent copy of the database and the media files in a new folder under var/backups (or BACKUP_DIR).
backup: $(VENV)/.installed
	$(MANAGE) backup --output $${BACKUP_DIR:-var/backups}

# Into an empty database and media folder only: make restore BACKUP=var/backups/20261127-030000
restore: $(VENV)/.installed
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=var/backups/<folder>"; exit 2; }
	$(MANAGE) restore "$(BACKUP)"

clean:
	rm -rf var/test .pytest_cache
