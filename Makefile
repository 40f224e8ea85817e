# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
# The local run: SQLite, tasks in-process, mail on the console.
LOCAL := DJANGO_DEBUG=1

.PHONY: install run test lint check browsers e2e screenshots worker beat smoke fuzz-api messages lock clean

install: $(VENV)/.installed static/gov/gov.css

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	test -x $(UV) || $(VENV)/bin/pip install --quiet "uv==$(UV_VERSION)"
	UV_PROJECT_ENVIRONMENT=$(VENV) $(UV) sync --frozen --quiet
	$(MAKE) --no-print-directory messages
	touch $@

# The design system (DS gov.cz) comes pinned from the npm lock; only the parts the pages use are
# built into static/gov/ (build output, docs/design-system.md).
static/gov/gov.css: node_modules/.installed scripts/build_design_system.py $(VENV)/.installed
	$(PY) scripts/build_design_system.py

# Compiled translations are build output: made from locale/*.po at install.
messages:
	cd $(CURDIR) && $(LOCAL) $(PY) manage.py compilemessages --ignore=.venv -v 0

run: install
	$(LOCAL) $(PY) manage.py migrate --noinput -v 0
	$(LOCAL) $(PY) manage.py seed_demo
	$(LOCAL) $(PY) manage.py check_invariants
	@echo ""
	@echo "  Residence permits portal: http://$(HOST):$(PORT)/   (back office: http://$(HOST):$(PORT)/admin/)"
	@echo "  Demo logins, all with the password 'demo-password':"
	@echo "    admin@example.com (superuser)   supervisor@example.com"
	@echo "    caseworker1@example.com          caseworker2@example.com"
	@echo "    support@example.com              applicant1@example.com   applicant2@example.com"
	@echo "    hr@example.com (an employer's HR, representing applicant2)"
	@echo "  Staff then enter a one-time code; print the current one (it works once) with:"
	@echo "    $(LOCAL) $(PY) manage.py demo_totp caseworker1@example.com"
	@echo "  or add the account's demo key from accounts/demo.py to an authenticator app."
	@echo ""
	$(LOCAL) $(PY) manage.py runserver $(HOST):$(PORT)

check: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(LOCAL) $(PY) manage.py check --fail-level WARNING
	$(LOCAL) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/lint-imports --no-cache .importlinter-cycles.ini
	$(LOCAL) $(VENV)/bin/mypy
	$(VENV)/bin/bandit -c pyproject.toml -r accounts api applications config documents encryption notifications organisations permits privacy webhooks scripts manage.py --severity-level medium -q

# The whole suite, browser tests included (in CI, with CI set, they fail rather than skip when
# the browser cannot start).
test: install check browsers
	$(PY) -m pytest

# The suite, browser tests aside, once at each of these instants (TEST_CLOCK, tests/conftest.py),
# stopping at the first failure: Friday night in UTC that is already Saturday in Prague, the days
# before Christmas, February in a leap year, the night of the spring clock change, and New Year's
# Eve in UTC that is New Year's Day in Prague. A test that reads the clock must pass on all of them.
TEST_CLOCKS := 2026-12-04T23:30:00Z 2026-12-23T10:00:00Z 2028-02-28T12:00:00Z \
	2027-03-28T00:30:00Z 2027-12-31T23:30:00Z

.PHONY: test-clocks
test-clocks: install
	for instant in $(TEST_CLOCKS); do \
		echo "== TEST_CLOCK=$$instant"; \
		TEST_CLOCK=$$instant $(PY) -m pytest -x -q -p no:randomly tests --ignore=tests/e2e \
			|| exit 1; \
	done

# The browser tests (tests/e2e) drive Debian's Chromium through Playwright (Playwright's own
# browser download does not work on these machines) and inject axe-core, pinned in package.json.
CHROMIUM := /usr/bin/chromium

browsers: node_modules/.installed
	test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

e2e: install browsers
	$(PY) -m pytest tests/e2e -m e2e

# Pictures of the main pages from the demo data, for the README: docs/screenshots/*.png.
screenshots: install browsers
	command -v pdftoppm >/dev/null && command -v pngquant >/dev/null \
		|| (apt-get update -qq && apt-get install -y -qq poppler-utils pngquant)
	$(PY) scripts/take_screenshots.py

# Lighthouse (pinned in package.json) on ten main pages of a fresh demo site, as a phone, with
# Debian's Chromium: fails below accessibility 98, best practices 95, SEO 95 (docs/lighthouse.md).
# Reports in var/lighthouse/.
.PHONY: lighthouse
lighthouse: install browsers
	$(PY) scripts/lighthouse.py

# The main pages under load, beside a bare Django view under the same gunicorn settings, on a
# PostgreSQL database of CASES cases (seeded once, then reused): writes docs/performance.md.
# A benchmark, not a test: it never fails the suite (scripts/bench.py).
CASES ?= 1000000
.PHONY: bench
bench: install
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) scripts/bench.py $(CASES)

lint: check

# Background jobs need REDIS_URL (without it, tasks run in-process and neither is needed).
# One worker process per CPU; as many workers, on as many machines, as the load wants.
worker: install
	$(PY) -m celery -A config worker --loglevel=INFO --concurrency=2 --queues=default

# Exactly one beat for the whole installation: it only queues the periodic sweeps.
beat: install
	mkdir -p var
	$(PY) -m celery -A config beat --loglevel=INFO --schedule=var/celerybeat-schedule

# The API fuzzed by schemathesis against a live server, signed in as an applicant: no server
# error, every answer as the schema documents it (scripts/fuzz_api.py).
fuzz-api: install
	$(PY) scripts/fuzz_api.py

# Production as an operator runs it, on this machine: .env.example's variables, migrate,
# collectstatic, create_staff_user, gunicorn, a worker and beat against a fresh PostgreSQL
# database and a Redis database, then one case from sign-up to the decision's PDF over HTTP.
smoke: install
	$(PY) scripts/smoke.py

lock:
	$(UV) lock

clean:
	rm -rf $(VENV) var/test-private
