# The two commands of README.md: `make site` and `make test`.
# Each sets up what it needs on a fresh machine with Python 3.11+ (a virtual
# environment in .venv, and axe-core from npm for the accessibility tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check bench clean

$(BIN)/dossier: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

tests/node_modules/axe-core/axe.min.js: tests/package.json
	cd tests && npm install --no-audit --no-fund --silent
	touch $@

site: $(BIN)/dossier
	$(BIN)/dossier build

check: $(BIN)/dossier
	$(BIN)/dossier check dossiers

test: $(BIN)/dossier tests/node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest -q

bench: $(BIN)/dossier
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .venv tests/node_modules
