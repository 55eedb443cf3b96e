# Gradient: `make run` starts the bot, `make test` runs every check.
# Both create .venv and install the hash-locked dependencies on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run practice test lint types pytest lock migrate bench clean

$(STAMP): requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Gradient needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	@# Put the checkout on the venv's path so `python -m bot` works from any folder.
	$(PY) -c 'import pathlib, sys, sysconfig; pathlib.Path(sysconfig.get_paths()["purelib"], "gradient-checkout.pth").write_text(sys.argv[1] + "\n")' "$(CURDIR)"
	@touch $(STAMP)

## run: set up, apply migrations, start the bot
run: $(STAMP)
	$(PY) -m bot db upgrade
	$(PY) -m bot run

## practice: set up, apply migrations, quiz yourself in the terminal
practice: $(STAMP)
	$(PY) -m bot db upgrade
	$(PY) -m bot practice

## test: set up, then lint, format check, types and the whole test suite
test: lint types pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

types: $(STAMP)
	$(PY) -m mypy

pytest: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

migrate: $(STAMP)
	$(PY) -m bot db upgrade

bench: $(STAMP)
	$(PY) bench/learning_sim.py

## lock: re-pin every dependency with hashes (needs uv: pip install uv)
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
		--no-header -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
