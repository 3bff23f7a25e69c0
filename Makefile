# Signpost: set-up, run, test and benchmark. `make help` lists the targets.
# Every install step the project needs is here, so a clean clone works with `make run` or `make test`.

VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STATIC := triage/web/static
TRANSLATIONS := triage/translations
CATALOGUES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)

.PHONY: help setup assets translations messages chromium wrk db run serve test lint bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(STATIC)/signpost.css: node_modules/.installed $(wildcard triage/web/assets/*.scss)
	npm run --silent build

assets: $(STATIC)/signpost.css ## Build the CSS and JavaScript from the pinned govuk-frontend

%.mo: %.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --statistics -i $< -o $@

translations: $(CATALOGUES:.po=.mo) ## Compile the translation catalogues (built, never committed)

messages: $(VENV)/.installed ## Extract translatable text and update every language's catalogue for translators
	$(VENV)/bin/pybabel extract -F babel.cfg -k N_ -k _l -o $(TRANSLATIONS)/messages.pot \
	  --project=Signpost --copyright-holder="the Signpost authors" --no-wrap --sort-by-file .
	$(VENV)/bin/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-wrap --no-fuzzy-matching --ignore-obsolete

setup: $(VENV)/.installed assets translations ## Install Python packages, build the assets, compile the translations

chromium: ## Install Debian's Chromium and the fonts for Gujarati and Urdu for the browser tests (if missing)
	@{ command -v chromium >/dev/null && [ -f /usr/share/fonts/truetype/noto/NotoNastaliqUrdu-Regular.ttf ]; } || \
	  { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation fonts-noto-core; }

wrk: ## Install Debian's wrk, the HTTP load generator bench/serve_pages.py uses (if missing)
	@command -v wrk >/dev/null || \
	  { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }

# The embedded set-up's secret key, made once and kept (instance/ is never committed); production sets SECRET_KEY.
instance/secret_key:
	mkdir -p instance
	umask 077 && python3 -c 'import secrets; print(secrets.token_hex(32))' > $@

db: setup instance/secret_key ## Create or upgrade the database and load the seed data
	$(FLASK) db upgrade
	$(FLASK) seed

# COUNCIL picks the council's profile (councils/<COUNCIL>.toml, default charnwood) and, without DATABASE_URL, its
# own embedded database instance/<COUNCIL>.db: `COUNCIL=cheshire-east make run`. Every target passes it through.
run: db ## Set up and run the service on http://127.0.0.1:5000 (SQLite, seed data loaded; COUNCIL=<profile>)
	$(FLASK) run --host 127.0.0.1 --port 5000

# The production server as production runs it (gunicorn.conf.py), on the embedded SQLite over plain HTTP on
# loopback: so the session cookie may go over HTTP here, and only here.
serve: db ## Set up and run the production server (gunicorn) on http://127.0.0.1:8000 (SQLite, seed data loaded)
	SESSION_COOKIE_SECURE=0 BIND=127.0.0.1:8000 $(VENV)/bin/gunicorn

lint: setup ## Check the code with ruff and the types with mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

test: setup chromium lint ## Set up and run the whole test suite (TEST_DATABASE_URL picks the engine)
	$(VENV)/bin/pytest

bench: setup wrk ## Run the benchmarks (figures go in the closing notes, not in tests)
	$(PY) bench/score_and_match.py
	$(PY) bench/plan_page.py
	$(PY) bench/page_weight.py
	$(PY) bench/oruk_proximity.py
	$(PY) bench/find_help.py
	$(PY) bench/insight_dashboard.py
	$(PY) bench/ward_map_size.py
	$(PY) bench/serve_pages.py
	$(PY) bench/messages.py
	$(PY) bench/load_faults.py  # PostgreSQL too when BENCH_DATABASE_URL names an empty database of its own

clean: ## Remove the virtualenv, node_modules, built assets and the local database
	rm -rf $(VENV) node_modules $(STATIC)/signpost.css $(STATIC)/govuk-frontend.min.js instance
