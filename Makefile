# Foro Abierto — two commands: `make run` and `make test`.
#
# Versions come from uv.lock alone (every direct and transitive dependency, with hashes). uv itself
# is bootstrapped with pip into .uv/ at the version below; `make update-deps` moves the lock on
# purpose (docs/dependencies.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
UV_VERSION := 0.13.9
UV     := .uv/bin/uv
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEV    := DEBUG=1
# Use the Python that runs make's $(PYTHON); never download one.
export UV_PYTHON_DOWNLOADS := never
# Where PYTHONDONTWRITEBYTECODE is set (many containers and CI images, this project's machines
# too), every Python process would compile every module it imports from source: 4-5 s before
# manage.py, daphne or a test worker does anything, on 2 cores. Our commands keep bytecode
# (in .venv and in __pycache__ folders git ignores): only the first process compiles.
unexport PYTHONDONTWRITEBYTECODE
# pytest-xdist: one test process per core (2 on CI); PYTEST_ARGS="-n 0" runs them in one.
PYTEST_WORKERS ?= auto

.PHONY: install run test lint messages compilemessages demo worker clean bench update-deps

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

# --locked: install exactly uv.lock, and stop if pyproject.toml asks for something it lacks.
$(STAMP): $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --extra dev --python $(PYTHON) --quiet
	@touch $(STAMP)

# Upgrade every dependency within pyproject.toml's ranges, then run the whole suite on them.
# Review `git diff uv.lock` (and any test the upgrade broke) before committing the new lock.
update-deps: $(UV)
	$(UV) lock --upgrade --python $(PYTHON)
	$(MAKE) test

install: $(STAMP)

compilemessages: $(STAMP)
	@for domain in django djangojs; do \
	  if ls locale/*/LC_MESSAGES/$$domain.po >/dev/null 2>&1; then \
	    $(BIN)/pybabel -q compile -d locale -D $$domain || exit 1; \
	  fi; \
	done

# Needs GNU gettext (apt-get install gettext) to extract strings; compiling needs only Babel.
messages: $(STAMP)
	$(DEV) $(BIN)/python manage.py makemessages -l es -l en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'benchmarks/*'
	$(DEV) $(BIN)/python manage.py makemessages -d djangojs -l es -l en --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'benchmarks/*'
	$(BIN)/python locale/fill_catalogs.py

demo: $(STAMP) compilemessages
	$(DEV) $(BIN)/python manage.py migrate --noinput
	$(DEV) $(BIN)/python manage.py load_demo

# The whole platform on the embedded default: SQLite, in-memory channel layer, web chat bot,
# the job worker (`manage.py work`: outbox, bot updates, bot replies) alongside daphne. Links
# in bot messages and e-mail point at this server
# (HOST:PORT) unless SITE_URL is set.
run: demo
	@echo "Foro Abierto: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/ — demo / demo-foro-abierto)"
	@export SITE_URL="$${SITE_URL:-http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)}"; \
	$(DEV) $(BIN)/python manage.py work & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/daphne -b $(HOST) -p $(PORT) forum.asgi:application

worker: $(STAMP)
	$(DEV) $(BIN)/python manage.py work

test: $(STAMP) compilemessages
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# mypy's django-stubs plugin imports forum.settings, which refuses to load without a SECRET_KEY.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache
	FORO_ALLOW_INSECURE_KEY=1 $(BIN)/mypy

clean:
	rm -rf $(VENV) .uv db.sqlite3 staticfiles .pytest_cache
