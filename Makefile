# The two commands of the README: `make demo` and `make test`. Each sets up what it needs.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: setup system demo test test-all bench evaluate clean

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade "pip>=24"
	$(BIN)/pip install -q -c constraints.txt -e '.[test]'
	touch $(STAMP)

system:            ## fonts, LibreOffice, Chromium, poppler (Debian/Ubuntu, needs root; skipped when present)
	@sh .ci/install-system-deps

setup: system $(STAMP)

demo: setup        ## screen the sample inbox corpus/samples/ into out/demo
	$(BIN)/shuzhi demo

test: setup        ## the test suite (slow benchmarks excluded)
	$(BIN)/python -m pytest -q

test-all: setup
	$(BIN)/python -m pytest -q -m ""

bench: setup
	$(BIN)/python -m bench.run_all

evaluate: setup
	$(BIN)/shuzhi evaluate --split test

clean:
	rm -rf out .shuzhi .pytest_cache
