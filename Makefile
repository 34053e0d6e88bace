# The two commands a user needs: `make run` and `make test`. Everything else builds on `install`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run install test lint bench screenshot clean

run: $(STAMP)
	$(BIN)/workstation gui

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check workstation tests
	$(BIN)/lint-imports

test: lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest -q

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python tests/benchmarks/run.py

screenshot: $(STAMP)
	../shared/tools/screenshot docs/worklist.png 5 -- $(BIN)/workstation gui -w $(CURDIR)/out/screenshot-ws

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache packaging/build packaging/dist

# The user guide's screenshots (docs/images/), of the real window offscreen on a fresh demo workspace.
.PHONY: docs
docs: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python docs/make_screenshots.py

# The frozen program (packaging/README.md): packaging/dist/workstation/workstation, the same command
# line as `workstation`, and packaging/dist/appeal-workstation-VERSION-linux-x86_64.tar.gz.
# `package-tools` puts PyInstaller into the .venv (the `package` extra); with it, `make test` also
# builds and runs the frozen program (tests/test_frozen_build.py).
.PHONY: package package-tools
PACKAGE_STAMP := $(VENV)/.package-installed

package-tools: $(PACKAGE_STAMP)

$(PACKAGE_STAMP): $(STAMP) pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test,package]'
	@touch $(PACKAGE_STAMP)

package: $(PACKAGE_STAMP)
	$(BIN)/python packaging/build.py
