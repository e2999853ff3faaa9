# Two commands for a fresh machine (Python 3.11+):
#   make run    install into .venv and open the app on a working copy of the sample data
#   make test   install into .venv and run the linter and the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_DB := .demo/pmtui.db

.PHONY: run test lint sample screenshots bench clean

# The venv is rebuilt when pyproject.toml changes; the stamp file marks a finished install.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# A working copy, so trying the app never changes the committed sample.db.
$(DEMO_DB): sample.db
	mkdir -p $(dir $(DEMO_DB))
	cp sample.db $(DEMO_DB)
	rm -f $(DEMO_DB)-wal $(DEMO_DB)-shm

# Bytecode first, as an installed package has it: with PYTHONDONTWRITEBYTECODE set (as on
# some machines) every start would otherwise compile pmtui from source (~0.1 s). Likewise
# the parsed stylesheet (pmtui/stylesheet_cache.py), which a start otherwise parses (~20 ms).
run: $(VENV)/.installed $(DEMO_DB)
	$(BIN)/python -m compileall -q pmtui
	$(BIN)/python -m pmtui.stylesheet_cache
	$(BIN)/pmtui --db $(DEMO_DB)

test: $(VENV)/.installed
	$(BIN)/ruff check .
	# 4 workers on 2 cores: Pilot tests spend part of their time waiting on timers and fsync.
	# worksteal: a worker left idle takes tests queued for another, so the longest tests
	# (a whole meeting, 24 s) do not end the run alone on one worker (4:00 against 4:45).
	$(BIN)/pytest -n 4 --dist worksteal -p no:cacheprovider

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check pmtui

# Rebuild the committed sample database (deterministic) and the screen captures.
sample: $(VENV)/.installed
	$(BIN)/pmtui sample sample.db --force

screenshots: $(VENV)/.installed
	$(BIN)/pmtui screenshots screens

bench: $(VENV)/.installed
	$(BIN)/python -m benchmarks.store_bench
	$(BIN)/python -m benchmarks.check_bench
	$(BIN)/python -m benchmarks.knowledge_bench
	$(BIN)/python -m benchmarks.app_bench

clean:
	rm -rf $(VENV) .demo .pytest_cache .ruff_cache .hypothesis
