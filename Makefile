# Two commands from a clean clone: `make site` builds the course, `make test` runs every test.
# Both create .venv and install the pinned dependencies from requirements*.txt.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
# Which site `make site` and `make pdf` build: full (every page, the facilitator's too) or student
# (no run-sheets, beats or answer keys). A public site should be the student edition: `make site EDITION=student`.
EDITION ?= full

.PHONY: site test lint format serve check bench clean golden schema browser crawl axe pdf

site: $(VENV)/.site-deps
	$(PY) build_course.py build --edition $(EDITION)

test: $(VENV)/.test-deps browser axe lint
	$(PY) -m pytest -n 2 --dist loadfile

# ruff, configured in pyproject.toml: lint, and the code must already be formatted (`make format` formats it).
lint: $(VENV)/.test-deps
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(VENV)/.test-deps
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

# The site, then the printed course into site/pdf/ (headless Chromium: Debian's chromium, or Chrome when present).
pdf: $(VENV)/.site-deps
	@command -v chromium >/dev/null 2>&1 || command -v google-chrome >/dev/null 2>&1 || $(MAKE) browser
	$(PY) build_course.py pdf --edition $(EDITION)

serve: $(VENV)/.site-deps
	$(PY) build_course.py serve

check: $(VENV)/.site-deps
	$(PY) build_course.py check

# Every engine side by side too (rows with the engine in bench/results.json); long, not part of `make test`.
bench: $(VENV)/.site-deps
	$(PY) bench/run.py

golden: $(VENV)/.test-deps
	$(PY) -m tests.regenerate_golden

schema: $(VENV)/.site-deps
	$(PY) build_course.py schema

clean:
	-$(PY) build_course.py clean
	rm -rf $(VENV)

$(VENV)/.site-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -r requirements.txt
	touch $@

$(VENV)/.test-deps: requirements.txt requirements-test.txt $(VENV)/.site-deps
	$(PIP) install -r requirements-test.txt
	touch $@

# Browser tests drive Debian's chromium; test tools cannot download browsers here.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

# axe-core for the accessibility tests, from npm at the version pinned in tests/npm/package-lock.json
# (newer than the copy axe-playwright-python bundles).
AXE := tests/npm/node_modules/axe-core/axe.min.js
axe: $(AXE)
$(AXE): tests/npm/package.json tests/npm/package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "npm is needed to install axe-core for the accessibility tests: install Node.js and npm"; exit 1; }
	npm ci --prefix tests/npm --no-audit --no-fund --loglevel=error
	touch $@

# Every page of site/ through axe-core in light and dark mode, a sample at 320 px and at 200% zoom,
# with reflow, foreign-request, console and 404 checks (several minutes).
crawl: $(VENV)/.test-deps browser axe site
	$(PY) -m tests.crawl
