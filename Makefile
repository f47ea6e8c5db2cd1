# XingCun Cockpit — `make run` and `make test` are the two set-up commands (see README).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
DB := data/xingcun.db
PORT ?= 8501
# Listen on this machine only unless told otherwise (XINGCUN_ADDRESS=0.0.0.0 serves a hall's screens on the LAN).
ADDRESS ?= $(or $(XINGCUN_ADDRESS),127.0.0.1)

.PHONY: setup run test test-pg seed e2e lint bench bench-load clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $(STAMP)

setup: $(STAMP)

$(DB): | $(STAMP)
	$(BIN)/python -m seed --preset city --out $(DB)

seed: $(STAMP)  ## regenerate the default demo database (refused while a server uses it: stop it first)
	$(BIN)/python -m seed --preset city --out $(DB) --force

run: setup $(DB)
	$(BIN)/python -m core.migrate  # bring an existing database to the newest schema (fills new rollups)
	$(BIN)/python -m core.accounts check-secret  # one line and no server when the session secret is empty or short
	$(BIN)/python -m streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS)

test: setup
	$(BIN)/python -m pytest

test-pg: setup  ## the same suite on a throw-away PostgreSQL 15 cluster (installs Debian postgresql if missing)
	tools/pg_test.sh $(BIN)/python -m pytest $(PYTEST_ARGS)

e2e: setup
	$(BIN)/python -m pytest tests/e2e

lint: setup
	$(BIN)/python -m ruff check core seed ui pages harness bench app.py tests
	$(BIN)/python -m mypy  # core and seed, configured in pyproject.toml [tool.mypy]

bench: setup  ## county, city and province (if data/province.db exists) → table + bench/results/*.json
	$(BIN)/python -m bench --presets county,city,province $(BENCH_ARGS)

bench-load: setup $(DB)  ## 50 WebSocket sessions (readers, screens, 5 writers) for 5 min on the city preset → bench/results/load-*.json
	$(BIN)/python -m bench.load $(LOAD_ARGS)

clean:
	rm -rf $(VENV) data/*.db data/*.db-* tests/artifacts
