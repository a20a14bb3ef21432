# Two commands set everything up on a fresh machine with Python 3.11:
#   make run    installs from uv.lock into .venv, opens the dashboard on the seed case
#   make test   installs from uv.lock with the dev extra, checks the lock, runs the suite
PYTHON ?= python3.11
UV_VERSION := 0.13.9
TOOLS  := .tools
UV     := $(TOOLS)/bin/uv
VENV   := .venv
BIN    := $(VENV)/bin
CASE   ?= nk-hamas
# Never let uv fetch an interpreter of its own: the machine's Python 3.11 is the one.
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test lint bench lock lock-check clean bytecode precompile

# uv itself, pinned, in a venv of its own (so `uv sync` never removes it).
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Stamps record which install the venv has; a changed lock or pyproject reinstalls.
# --compile-bytecode writes every installed module's .pyc at install time, so no command
# compiles NumPy, pydantic or typer from source when it starts, even where Python may not
# write bytecode itself (PYTHONDONTWRITEBYTECODE=1, a read-only venv).
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --inexact --quiet --compile-bytecode
	touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --quiet --compile-bytecode
	touch $@ $(VENV)/.installed

# Our own modules' bytecode, brought up to date (only changed files are compiled).
bytecode:
	$(BIN)/python -m compileall -q analysis app

# The seed case's uncertainty model compiled once per install into .venv/ach-models
# (analysis/uncertainty/native.py), so no uncertainty run waits for numba's compiler.
# Recompiled when the model's source changes (the stored file's name changes with it).
$(VENV)/.precompiled: $(VENV)/.installed analysis/uncertainty/model.py analysis/uncertainty/native.py analysis/uncertainty/pool.py
	@echo "Compiling the $(CASE) case's uncertainty model, once per install (about a minute)..."
	$(BIN)/python -m analysis.uncertainty.precompile $(CASE)
	touch $@

precompile: $(VENV)/.precompiled

run: $(VENV)/.installed bytecode $(VENV)/.precompiled
	$(BIN)/ach app $(CASE) $(if $(PORT),--port $(PORT))

test: $(VENV)/.installed-dev lock-check bytecode $(VENV)/.precompiled
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Fails when pyproject.toml and uv.lock disagree.
lock-check: | $(UV)
	$(UV) lock --check

# The one way to move pinned versions on purpose: re-resolve everything to the newest allowed.
lock: | $(UV)
	$(UV) lock --upgrade

bench: $(VENV)/.installed-dev
	for script in benchmarks/*.py; do $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache .hypothesis
