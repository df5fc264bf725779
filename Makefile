# The two commands of the README: `make run` and `make test`. Both set up everything they need first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
DEV_ENV := DJANGO_DEBUG=1

.PHONY: run test setup system-deps messages migrate demo check-deploy clean

# The background worker (long imports) runs beside the development server and stops with it.
run: setup migrate demo
	$(DEV_ENV) $(MANAGE) db_worker & worker=$$!; trap 'kill $$worker' EXIT; \
	$(DEV_ENV) $(MANAGE) runserver 127.0.0.1:8000

test: setup
	scripts/run-tests.sh

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

clean:
	rm -rf var/test .pytest_cache
