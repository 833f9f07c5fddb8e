# Yunghap — two commands: `make run` (set up, demo data on SQLite, server on :8000 with its task worker) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
STAMP := $(VENV)/.installed

.PHONY: run setup test test-fast lint browser-deps messages bench clean

# The server and the task worker beside it (web imports run as tasks); Ctrl-C stops both.
run: setup
	$(BIN)/yunghap migrate --noinput
	$(BIN)/yunghap demo
	BIN=$(BIN) HOST=$(HOST) scripts/run_demo.sh

setup: $(STAMP) node_modules/.installed src/yunghap/static/vendor/.installed

$(STAMP): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 with npm is required"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

src/yunghap/static/vendor/.installed: node_modules/.installed scripts/vendor_assets.py
	$(BIN)/python scripts/vendor_assets.py
	touch $@

# Debian's Chromium (never a browser download) and CJK fonts so that Hangul renders in screenshots and PDFs
# (fonts-nanum: the TrueType font the completion certificates embed, yunghap.events.certificates).
browser-deps:
	@command -v chromium >/dev/null && fc-list | grep -qi "noto sans cjk" && fc-list | grep -qi nanummyeongjo || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-nanum; }

test: setup browser-deps
	$(BIN)/pytest -n 2 --dist loadfile -q

test-fast: setup
	$(BIN)/pytest -n 2 --dist loadfile -q -m "not browser"

# check --deploy gets a throwaway random key: a repeated-character one trips security.W009.
lint: setup
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy src
	$(BIN)/yunghap makemigrations --check --dry-run
	YUNGHAP_ENV=production DJANGO_DEBUG=0 SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(64))') \
		ALLOWED_HOSTS=yunghap.example \
		$(BIN)/yunghap check --deploy --fail-level WARNING

messages: setup
	cd src/yunghap && ../../$(BIN)/django-admin makemessages -l en --no-obsolete --ignore "static/*" && \
		../../$(BIN)/django-admin makemessages -d djangojs -l en --no-obsolete --ignore "static/vendor/*" && \
		../../$(BIN)/django-admin compilemessages -l en

clean:
	rm -rf $(VENV) node_modules src/yunghap/static/vendor db.sqlite3*
