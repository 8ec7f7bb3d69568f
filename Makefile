# Foro Abierto — two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEV    := DEBUG=1

.PHONY: install run test lint messages compilemessages demo worker clean bench

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

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
# the outbox worker alongside daphne. Links in bot messages and e-mail point at this server
# (HOST:PORT) unless SITE_URL is set.
run: demo
	@echo "Foro Abierto: http://$(HOST):$(PORT)/  (admin: http://$(HOST):$(PORT)/admin/ — demo / demo-foro-abierto)"
	@export SITE_URL="$${SITE_URL:-http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)}"; \
	$(DEV) $(BIN)/python manage.py outbox_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(DEV) $(BIN)/daphne -b $(HOST) -p $(PORT) forum.asgi:application

worker: $(STAMP)
	$(DEV) $(BIN)/python manage.py outbox_worker

test: $(STAMP) compilemessages
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# mypy's django-stubs plugin imports forum.settings, which refuses to load without a SECRET_KEY.
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	FORO_ALLOW_INSECURE_KEY=1 $(BIN)/mypy

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
