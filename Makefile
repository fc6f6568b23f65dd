# Koperasi Registry — the entry point for every routine task. See README.md.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := koperasi_registry.settings

.PHONY: run test lint fmt typecheck migrations-check check-deploy bench venv clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is required") if sys.version_info < (3, 11) else None'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

venv: $(STAMP)

## run: set up everything, load the demo data if the database is empty, and serve
##      the app on http://$(HOST):$(PORT) with a Celery worker and beat beside it.
# The worker runs its tasks in its own process (--pool=solo): a pool child killed
# while it held the pool's shared queue lock (the OOM killer, say) stopped every
# later task of the prefork pool for good on this broker. A worker that dies is
# started again, and takes up what it left (koperasi_registry/jobs.py); beat runs
# beside it, not inside it, so that a worker killed leaves no second beat behind.
# Stopping it (Ctrl+C, or TERM to the group) stops all three once: the trap is
# cleared before it signals the group, which it is in (it had signalled itself
# again and again, thousands of warm shutdowns and then a crash).
# Links in letters, e-mails and WhatsApp messages point at the server started here
# (unless KOPERASI_SITE_URL is set): with PORT=8301 they read :8301, not :8000.
run: export KOPERASI_SITE_URL ?= http://$(HOST):$(PORT)
# The pages a user meets, in Bahasa Indonesia, not Django's debug pages (which
# show the settings): a trial of the demo sees the product's own error pages.
# DJANGO_DEBUG=true make run gives a developer the debug pages.
run: export DJANGO_DEBUG ?= false
run: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	@echo ""
	@echo "  Koperasi Registry: http://$(HOST):$(PORT)/"
	@echo "  Demo logins (password koperasi-demo-2026): admin, staf, pengurus, pengurus2"
	@echo ""
	@trap 'trap - INT TERM EXIT; kill 0' INT TERM EXIT; \
	  $(BIN)/celery -A koperasi_registry beat --loglevel=INFO \
	    --schedule=var/celerybeat-schedule & \
	  while :; do \
	    $(BIN)/celery -A koperasi_registry worker --loglevel=INFO --pool=solo; \
	    echo "The Celery worker stopped; starting it again in 3 s."; sleep 3; \
	  done & \
	  $(BIN)/python manage.py runserver $(HOST):$(PORT)

## test: every test — unit, integration (real worker; needs PostgreSQL and Redis in
##       DATABASE_URL / CELERY_BROKER_URL) and browser (Debian's Chromium).
test: $(STAMP)
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	$(BIN)/pytest

# django-upgrade rewrites code older Django idioms (it exits 1 when it rewrote a
# file, so the lint fails until the rewrite is committed).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	git ls-files -z '*.py' | xargs -0 $(BIN)/django-upgrade --target-version 5.2

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: $(STAMP)
	$(BIN)/mypy .

migrations-check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

## check-deploy: Django's deployment checks with production-like settings.
check-deploy: $(STAMP)
	DJANGO_ENV=production DJANGO_ALLOWED_HOSTS=koperasi.example.go.id \
	  DATABASE_URL=postgres://koperasi@127.0.0.1:5432/koperasi \
	  CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
	  KOPERASI_SITE_URL=https://koperasi.example.go.id \
	  DJANGO_SECRET_KEY='check-deploy-only-$(shell date +%s)-a8Fq2LmZ9xR4tY7uW3pK6sD1' \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

## bench: the benchmarks of docs/performance.md (PostgreSQL; wrk for the public site).
bench: $(STAMP)
	$(BIN)/pip install --quiet -r bench/requirements.txt
	$(BIN)/python bench/registry_list.py
	$(BIN)/python bench/ods_import.py
	$(BIN)/python bench/import_export_compare.py
	$(BIN)/python bench/public_load.py
	$(BIN)/python bench/rekap.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache
