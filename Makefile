# The two commands of the README: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
DEV_ENV := DEBUG=true
# Links in messages point at the port the site is served on.
RUN_ENV := $(DEV_ENV) SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}

.PHONY: run test screenshots lint format bench audit messages backup restore clean

$(BIN)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

run: $(BIN)/.installed
	$(DEV_ENV) $(BIN)/python manage.py migrate --noinput
	$(DEV_ENV) $(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Peer-programmer kører på http://127.0.0.1:$(PORT)/  (koordinatorer: /admin/)"
	@echo "  Demo-log-ins: koordinator.lejre, koordinator.hillerod, koordinator.peer (på /admin/)"
	@echo "                partner.fredericia (på /admin/: kun rapporter og samlede tal)"
	@echo "                henviser.fredericia (på /log-ind/: tilmelder borgere)"
	@echo "                peer.demo (på /peer/: peer-portalen)"
	@echo "  Adgangskode:  $${DEMO_PASSWORD:-peer-demo}"
	@echo "  E-mails og SMS skrives i terminalen af task-workeren."
	@echo ""
	@mkdir -p .run
	@# A real worker with beat on kombu's filesystem broker (no Redis needed), stopped with
	@# the web server.
	$(RUN_ENV) $(BIN)/celery -A peerprogram worker -B --pool=solo --loglevel=INFO \
		--schedule=.run/celerybeat-schedule & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed
	bash tests/scripts/test.sh

# The browser test that only saves screenshots for a person to look at (left out of `make test`).
screenshots: $(BIN)/.installed
	bash tests/scripts/screenshots.sh

lint: $(BIN)/.installed
	bash tests/scripts/lint.sh

format: $(BIN)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(BIN)/.installed
	bash tests/bench/bench.sh

# Known vulnerabilities in every installed package (what pyproject.toml's pins installed; the
# project itself excluded), from the advisory service AUDIT_SERVICE (pypi or osv). Not part of
# `make test`: it needs that service. It fails when a package could not be checked, so an
# unreachable service never passes for "no known vulnerabilities".
AUDIT_SERVICE ?= pypi
# Each run freezes into a file of its own, so two audits at once never read a half-written list.
audit: $(BIN)/.installed
	@mkdir -p .run
	@requirements=$$(mktemp .run/audit-requirements.XXXXXX); \
	trap 'rm -f "$$requirements"' EXIT; \
	$(BIN)/pip freeze --exclude-editable > "$$requirements" && test -s "$$requirements" \
	&& $(BIN)/pip-audit --strict --no-deps --disable-pip --progress-spinner off \
		--vulnerability-service $(AUDIT_SERVICE) --requirement "$$requirements" \
		|| { echo "make audit FAILED: vulnerabilities are listed above, or a package could not be" \
			"checked because the $(AUDIT_SERVICE) advisory service is out of reach. Nothing was" \
			"shown to be safe." >&2; exit 1; }

messages: $(BIN)/.installed
	$(DEV_ENV) $(BIN)/python manage.py makemessages -l en -i .venv -i node_modules -i tests
	$(DEV_ENV) $(BIN)/python manage.py compilemessages -i .venv

# Backups of the PostgreSQL deployment (DATABASE_URL), written to BACKUP_DIR (default backups/).
# DEBUG defaults to true only so that SECRET_KEY and friends are not needed for a dump.
backup: $(BIN)/.installed
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py backup $(if $(BACKUP_DIR),--dir "$(BACKUP_DIR)")

# make restore FILE=backups/….dump [CONFIRM=yes]
restore: $(BIN)/.installed
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/<name>.dump [CONFIRM=yes]" >&2; exit 2; }
	DEBUG=$${DEBUG:-true} $(BIN)/python manage.py restore "$(FILE)" $(if $(filter yes,$(CONFIRM)),--noinput)

clean:
	rm -rf $(VENV) staticfiles .artifacts .run
