# The two commands of README.md: `make site` and `make test`.
# Each sets up what it needs on a fresh machine with Python 3.11+ (a virtual
# environment in .venv, and axe-core from npm for the accessibility tests).
# The virtual environment gets the exact releases of requirements.lock (checked
# against their hashes), then the project itself; `make lock` refreshes the lock
# to the newest releases pyproject.toml allows.
# An editable install leaves the package's bytecode to be written on first use,
# which never happens where PYTHONDONTWRITEBYTECODE is set (as on our CI): every
# `dossier` run would compile its 60 modules again (40-90 ms), so the bytecode
# is written here, and again before the tests (only for modules that changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements.lock
UV := uv>=0.13,<0.14
# The other engines' own requirements, locked like the project's by `make lock`.
PROPERDOCS := 'properdocs>=1.6.7,<2' 'mkdocs-material>=9.7,<10'
ZENSICAL := 'zensical>=0.0.73'

# PyICU (followthemoney needs it) is published as source only: pip compiles it once against ICU.
ICU_HINT := if PyICU failed to build: it needs a C++ compiler and ICU's headers (Debian: apt-get install g++ pkg-config libicu-dev)

.PHONY: site test check lint bench clean lock engines

# --no-deps: the lock lists every package, each pinned and hashed; pip's own resolver would only warn
# that lxml 6 no longer declares the `html_clean` extra justext asks for (lxml_html_clean is locked).
$(BIN)/dossier: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r $(LOCK) || { echo "$(ICU_HINT)" >&2; exit 1; }
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q generator
	touch $@

# uv resolves for every platform (--universal) and records each file's hash; it is
# installed into the venv, never kept in the repository.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet '$(UV)'
	$(BIN)/uv pip compile pyproject.toml --extra test --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --output-file $(LOCK)
	printf '%s\n' $(PROPERDOCS) | $(BIN)/uv pip compile - --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --no-header --output-file requirements-properdocs.lock
	printf '%s\n' $(ZENSICAL) | $(BIN)/uv pip compile - --universal --python-version 3.11 \
		--generate-hashes --upgrade --quiet --no-header --output-file requirements-zensical.lock

tests/node_modules/axe-core/axe.min.js: tests/package.json
	cd tests && npm install --no-audit --no-fund --silent
	touch $@

site: $(BIN)/dossier
	$(BIN)/dossier build
	@echo "to look at it: $(BIN)/dossier serve (then open http://127.0.0.1:8000/), or python3 -m http.server -d site 8000"

check: $(BIN)/dossier
	$(BIN)/dossier check dossiers

test: $(BIN)/dossier tests/node_modules/axe-core/axe.min.js engines
	$(BIN)/python -m compileall -q generator
	$(BIN)/python -m pytest -q

# Lint and types, as CI runs them (configured in pyproject.toml), and the import layers (README).
lint: $(BIN)/dossier
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/test_imports.py

bench: $(BIN)/dossier
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf site .venv .venv-newest .venv-properdocs .venv-zensical tests/node_modules

# The other site engines, each in its own environment (neither needs the
# dossier package, and Zensical may need newer Markdown extensions than the
# project pins): `dossier build --engine properdocs|zensical` runs the one on
# PATH; tests/test_engines.py looks in these two folders first.
engines: .venv-properdocs/bin/properdocs .venv-zensical/bin/zensical

.venv-properdocs/bin/properdocs: requirements-properdocs.lock
	test -x .venv-properdocs/bin/python || $(PYTHON) -m venv .venv-properdocs
	.venv-properdocs/bin/python -m pip install --quiet --require-hashes -r requirements-properdocs.lock
	touch $@

.venv-zensical/bin/zensical: requirements-zensical.lock
	test -x .venv-zensical/bin/python || $(PYTHON) -m venv .venv-zensical
	.venv-zensical/bin/python -m pip install --quiet --require-hashes -r requirements-zensical.lock
	touch $@
