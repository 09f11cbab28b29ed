# Municipia — the two commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test install messages lint bench serve quality typecheck

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Sets up the SQLite demo (migrate, reference data, demo plans) and serves it on $(PORT).
demo: install
	mkdir -p var
	DEBUG=1 $(PY) manage.py migrate --no-input
	DEBUG=1 $(PY) manage.py load_municipalities
	DEBUG=1 $(PY) manage.py load_demo
	@echo ""
	@echo "Municipia demo: http://127.0.0.1:$(PORT)/  (logins above; password municipia-demo)"
	@echo ""
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

## Runs every test (SQLite by default; set DATABASE_URL for PostgreSQL).
test: install
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	MUNICIPIA_TESTING=1 $(PY) manage.py makemigrations --check --dry-run
	MUNICIPIA_TESTING=1 $(VENV)/bin/mypy municipia
	MUNICIPIA_TESTING=1 $(VENV)/bin/pytest

## Rebuilds the compiled translation catalogues after editing the .po files.
messages: install
	cd municipia && ../$(PY) ../manage.py makemessages -l es -l ca -l bg --no-obsolete --no-location
	cd municipia && ../$(PY) ../manage.py compilemessages

lint: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Country-sized benchmark: gunicorn on SQLite, 8 concurrent clients, against a bare Django view.
bench: install
	$(PY) benchmarks/run.py

## Prints the code-quality measures of municipia/ (duplicates, hand-written CRUD, complexity, types, layering).
quality: install
	$(PY) quality/report.py

## Type-checks municipia/ with mypy (configuration in pyproject.toml); fails on any error.
typecheck: install
	$(VENV)/bin/mypy municipia
