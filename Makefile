# The project's vocabulary: run, test, lint, bench, demo.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint demo bench browser-deps migrate check-deploy

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $@

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; Playwright's own browser download cannot work here.
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "Installez Chromium : sudo apt-get install -y chromium"; exit 1; fi; }

test: $(VENV)/.installed browser-deps
	$(PY) manage.py makemigrations --check --dry-run --settings=lms.settings.test
	$(PY) manage.py check --settings=lms.settings.test
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check-deploy: $(VENV)/.installed
	SECRET_KEY=$$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=cls.example.fr \
	  REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} SITE_BASE_URL=https://cls.example.fr \
	  DJANGO_SETTINGS_MODULE=lms.settings.production $(PY) manage.py check --deploy --fail-level WARNING

bench: $(VENV)/.installed
	$(PY) -m bench.run $(BENCH_ARGS)
