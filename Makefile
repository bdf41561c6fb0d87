# The two commands of README.md: `make site` and `make test`.
# Each sets up what it needs on a fresh machine with Python 3.11+ (a virtual
# environment in .venv, and axe-core from npm for the accessibility tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test check bench clean engines

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

# The other site engines, each in its own environment (neither needs the
# dossier package, and Zensical may need newer Markdown extensions than the
# project pins): `dossier build --engine properdocs|zensical` runs the one on
# PATH; tests/test_engines.py looks in these two folders first.
engines: .venv-properdocs/bin/properdocs .venv-zensical/bin/zensical

.venv-properdocs/bin/properdocs:
	$(PYTHON) -m venv .venv-properdocs
	.venv-properdocs/bin/python -m pip install --quiet 'properdocs>=1.6.7,<2' 'mkdocs-material>=9.7,<10'
	touch $@

.venv-zensical/bin/zensical:
	$(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python -m pip install --quiet 'zensical>=0.0.73'
	touch $@
