# Passerelle: two commands on a fresh machine — `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed

.PHONY: demo test test-postgres lint messages serve bench clean

$(INSTALLED): pyproject.toml package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# torch's CPU build for the semantic extra lies on this machine's disk (pip takes it there)
	$(BIN)/python -m pip install --quiet -e ".[dev,semantic]"
	# Country shapes for the portal's map (Natural Earth, from the npm registry).
	npm ci --no-audit --no-fund --loglevel=error
	touch $(INSTALLED)

## Prepare the database, load the demo network, print the URLs and login, and serve it.
demo: $(INSTALLED)
	$(BIN)/passerelle demo

## Run the whole suite (on SQLite, or on the database that DATABASE_URL names), one worker
## per core (pytest-xdist; each worker has its own test database, a file's tests stay together).
TEST_WORKERS ?= auto
test: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports --no-cache
	$(BIN)/passerelle makemigrations --check --dry-run > /dev/null
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

## The suite on the local PostgreSQL server.
test-postgres: $(INSTALLED)
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/test $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile

## Refresh the French catalogue from the code and compile it (needs GNU gettext).
## The compiled .mo files are committed, as Django does, so installs need no gettext.
messages: $(INSTALLED)
	cd src/passerelle && ../../$(BIN)/passerelle makemessages --locale fr --no-obsolete \
		--ignore "*/migrations/*" --verbosity 0
	cd src/passerelle && ../../$(BIN)/passerelle compilemessages --verbosity 0

## Style, and the layers of pyproject.toml's import contract (a lower layer never imports a higher one).
lint: $(INSTALLED)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports --no-cache

## The benchmark suite on SQLite and on the local PostgreSQL server (not part of `make test`;
## needs ../shared/data/ror; about 25 minutes per database). Figures go to docs/PERFORMANCE.md.
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
bench: $(INSTALLED)
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.imports
	$(BIN)/python -m bench.portal
	$(BIN)/python -m bench.search
	$(BIN)/python -m bench.load
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.core
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.imports
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.portal
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.search
	DATABASE_URL=$(PG_URL) $(BIN)/python -m bench.load

## Serve for real use with gunicorn (set PASSERELLE_ENV=production and its settings first).
serve: $(INSTALLED)
	$(BIN)/passerelle serve

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache
