# Every target only calls the CLI (python -m pipeline ...) after set-up. `make help` lists them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
WORKERS ?=
EXECUTOR ?=
SCHEDULER ?=
SCALE ?=
ARGS ?=
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup extract evaluate train test notebook screenshots bench clean-output

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(STAMP) system-packages ## Create .venv, install the package, tesseract and poppler-utils (idempotent)
	@# the package's bytecode, written once: where PYTHONDONTWRITEBYTECODE is set (CI
	@# containers) every run compiled every module again, a third of an unchanged re-run
	@$(PY) -m compileall -q pipeline extractors > /dev/null

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

.PHONY: system-packages
system-packages:
	@bash pipeline/sources/ensure_system_packages.sh

extract: setup ## Run the pipeline over corpus/raw into corpus/clean and output
	$(PY) -m pipeline extract $(if $(WORKERS),--workers $(WORKERS)) $(if $(EXECUTOR),--executor $(EXECUTOR)) $(if $(SCHEDULER),--scheduler $(SCHEDULER)) $(ARGS)

evaluate: setup ## Score output/ and corpus/clean/ against tests/gold/
	$(PY) -m pipeline evaluate

train: setup ## Fit the membership and event models to all gold (extractors/data/*_model.json) and print their leave-one-document-out figures
	$(PY) -m pipeline train $(ARGS)

test: setup ## Run the test suite
	$(PY) -m pytest $(ARGS)

notebook: setup ## Execute notebooks/explore.ipynb against output/ into output/notebooks/ (after make extract)
	$(PY) -m pipeline notebook $(ARGS)

screenshots: setup ## Screenshots of the review index, the longest review page and the notebook's figures into output/screenshots/ (after make extract; needs chromium)
	$(PY) -m pipeline screenshots $(ARGS)

bench: setup ## Time the pipeline against bare pdfplumber/tesseract on a scaled corpus (SCALE=small for a quick run); writes output/bench.json
	$(PY) -m pipeline.evaluate.bench $(if $(SCALE),--scale $(SCALE)) $(if $(WORKERS),--workers $(WORKERS)) $(ARGS)

clean-output: ## Remove generated tables and clean texts (never touches corpus/raw)
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	find corpus/clean -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
