# leadroi — `make` lists the targets. `make report` and `make test` set up everything
# they need (system packages via apt when run as root, .venv, the package, sample data).
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH := $(VENV)/.bench-installed
SAMPLE := data/sample/leads.csv data/sample-zh/leads.csv

.PHONY: help setup system-deps test-deps sample report test test-fast lint lab bench bench-load bench-attr \
	bench-scale bench-batch clean

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[1m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

system-deps: ## check/install system packages (Pango, a CJK font, poppler)
	@scripts/system-deps.sh

$(STAMP): pyproject.toml
	@scripts/system-deps.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The test and benchmark references (ChannelAttribution builds from source: g++ and the
# Python headers come with `system-deps.sh test`) and pyspark for the Spark test (Java
# comes with `system-deps.sh test`). `make report` does not need them.
$(BENCH): $(STAMP)
	@scripts/system-deps.sh test
	$(BIN)/python -m pip install --quiet -e '.[dev,bench,spark]'
	$(BIN)/python bench/ca_data.py || echo "warning: ChannelAttribution's Data.csv could not be fetched; its agreement tests will be skipped"
	@touch $(BENCH)

setup: $(STAMP) ## create .venv and install leadroi with its dev tools

data/sample/leads.csv: $(STAMP) leadroi/sample/generate.py leadroi/sample/vocab.py
	$(BIN)/leadroi sample data/sample --lang en

data/sample-zh/leads.csv: $(STAMP) leadroi/sample/generate.py leadroi/sample/vocab.py
	$(BIN)/leadroi sample data/sample-zh --lang zh

sample: system-deps $(SAMPLE) ## generate the sample data (deterministic) into data/

report: system-deps $(SAMPLE) ## render the sample quarterly report (en + zh) into reports/
	$(BIN)/leadroi run --jobs 2 params/sample-2026-Q3.yaml params/sample-2026-Q3-zh.yaml

test-deps: ## check/install what the tests need besides system-deps (PostgreSQL, g++)
	@scripts/system-deps.sh test

test: test-deps $(BENCH) $(SAMPLE) ## run every test, notebooks and end-to-end reports included
	$(BIN)/python -m pytest

test-fast: test-deps $(BENCH) $(SAMPLE) ## run the tests without the slow end-to-end ones
	$(BIN)/python -m pytest -m "not slow"

lint: $(STAMP) ## ruff, and the layers contract (lint-imports: layers look down only, no cycles)
	$(BIN)/ruff check leadroi tests bench
	$(BIN)/lint-imports

lab: $(STAMP) $(SAMPLE) ## open the notebooks in JupyterLab
	$(BIN)/python -m pip install --quiet -e '.[dev,lab]'
	$(BIN)/jupyter lab notebooks/

bench: $(STAMP) $(SAMPLE) ## time the sample report (see bench/)
	$(BIN)/python bench/bench_report.py

bench-load: $(STAMP) ## time load+validate of 100k and 1M leads from CSV and Parquet
	$(BIN)/python bench/bench_load.py

bench-attr: $(BENCH) ## time attribution against ChannelAttribution (see bench/)
	$(BIN)/python bench/bench_attribution.py

bench-scale: $(BENCH) ## time load, metrics, attribution and the report at 60k and 1M leads
	$(BIN)/python bench/bench_scale.py --sizes sample 1m

bench-batch: $(STAMP) $(SAMPLE) ## reports per minute of 8 campaign retrospectives, --jobs 1 and 2
	$(BIN)/python bench/bench_batch.py

clean: ## remove generated reports, sample data and caches (keeps .venv)
	rm -rf reports/*/ data/sample data/sample-zh .pytest_cache
