# The two commands of the README. Everything installs into .venv; nothing global is touched.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: site test serve check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# policygen installed (editable): again only when pyproject.toml changes, so that make serve and
# make check start at once.
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	touch $@

## make site: install policygen and build the default site (HTML + JSON) into site/
site: $(VENV)/.installed
	$(BIN)/policygen check
	$(BIN)/policygen build

## make test: install the test tools and run the whole suite (lint, types, tests)
test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@# The Nu HTML Checker (vnu.jar, run with Java) validates every built page.
	@test -f .tools/node_modules/vnu-jar/build/dist/vnu.jar || ! command -v npm >/dev/null || \
		npm install --silent --no-save --no-audit --no-fund --prefix .tools vnu-jar@26
	$(BIN)/ruff check generator tests benchmarks
	$(BIN)/mypy
	$(BIN)/pytest

## make serve: live preview on http://127.0.0.1:8000/ (rebuilds when policy/ or schema/ change)
serve: $(VENV)/.installed
	$(BIN)/mkdocs serve --livereload

## make check: check every policy source, writing nothing
check: $(VENV)/.installed
	$(BIN)/policygen check
