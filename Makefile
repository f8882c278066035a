# `make run` serves the app; `make test` runs the suite. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

# `LAN=1 make run`: served to phones on this network, at this machine's LAN address (found
# by runclub/lib/lan.py with the system's Python; LAN_ADDRESS=... to choose another).
# Plain `make run` stays on loopback.
ifeq ($(LAN),1)
LAN_ADDRESS := $(shell $(PYTHON) runclub/lib/lan.py)
ifeq ($(LAN_ADDRESS),)
$(error LAN=1: no network address a phone could reach; join the phone's Wi-Fi, or set LAN_ADDRESS=<this machine's address>)
endif
export SITE_URL := http://$(LAN_ADDRESS):$(PORT)
export ALLOWED_HOSTS := $(LAN_ADDRESS),127.0.0.1,localhost
BIND := 0.0.0.0
else
BIND := 127.0.0.1
endif

.PHONY: run test lint format bench clean lock

# What is installed is the lock files (every package pinned, with hashes); the short lists
# people edit (requirements.txt, tests/ and bench/requirements.txt) become locks by `make lock`.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes

$(VENV)/.runtime: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_INSTALL) -r requirements.lock
	touch $@

$(VENV)/.dev: $(VENV)/.runtime tests/requirements.lock
	$(PIP_INSTALL) -r tests/requirements.lock
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput --verbosity 0
	$(PY) manage.py ensure_admin
	@# Commands run in another shell (add_run_day) print links on this port, and with LAN=1
	@# at this address (runclub/lib/env.py).
	@echo $(PORT) > "$${DATA_DIR:-var}/port"
	@$(if $(filter 1,$(LAN)),echo $(SITE_URL) > "$${DATA_DIR:-var}/site_url",rm -f "$${DATA_DIR:-var}/site_url")
	@$(PY) manage.py show_link $(if $(filter 1,$(LAN)),--qr)
	$(VENV)/bin/daphne -b $(BIND) -p $(PORT) -v 0 runclub.asgi:application

test: $(VENV)/.dev
	$(PY) -m pytest

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

format: $(VENV)/.dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

$(VENV)/.bench: $(VENV)/.dev bench/requirements.lock
	$(PIP_INSTALL) -r bench/requirements.lock
	touch $@

# Remake the lock files from the short lists, keeping every pin that still fits; hashes from
# PyPI itself, whatever index this machine's pip is set to. `make lock LOCK_ARGS=--upgrade`
# takes the newest versions the lists allow. Each lock constrains the next, so the runtime
# packages are the same versions in all three.
PIP_COMPILE := env -u PIP_FIND_LINKS PIP_CONFIG_FILE=/dev/null $(VENV)/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --index-url https://pypi.org/simple \
	--no-emit-index-url --no-emit-find-links $(LOCK_ARGS)

lock: $(VENV)/.dev
	$(PIP_COMPILE) --output-file requirements.lock requirements.txt
	$(PIP_COMPILE) --output-file tests/requirements.lock tests/requirements.txt
	$(PIP_COMPILE) --output-file bench/requirements.lock bench/requirements.txt

# Every benchmark in one go (docs/proof.md, "Benchmarks"), ending with the targets met or
# not, from this run's figures; BENCH_ARGS="--runners 200": a smaller load. The small-host
# runs cap the server's CPU through the cgroup v1 cpu controller: run as root.
bench: export BENCH_RESULTS := $(abspath var/bench-results.jsonl)
bench: $(VENV)/.dev $(VENV)/.bench
	mkdir -p var && rm -f $(BENCH_RESULTS)
	$(PY) bench/checkin_post.py
	$(PY) bench/profile_checkin.py
	$(PY) bench/name_rule.py
	$(PY) -m bench.load $(BENCH_ARGS)
	$(PY) -m bench.compare $(BENCH_ARGS)
	$(PY) -m bench.faults
	$(PY) -m bench.compare --two-process $(BENCH_ARGS)
	$(PY) -m bench.runner_page
	$(PY) bench/history_scale.py
	$(PY) -m bench.summary

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
