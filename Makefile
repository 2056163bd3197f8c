# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench lint setup system-deps clean

$(BIN)/txplan: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

setup: $(BIN)/txplan system-deps

# LibreOffice (PDF conversion) and the metric-compatible fonts Carlito and Liberation,
# from Debian's packages, only where missing.
system-deps:
	@if ! command -v soffice >/dev/null 2>&1 || ! fc-list | grep -qi carlito || ! fc-list | grep -qi liberation; then \
	  echo "Installing LibreOffice and fonts (Debian packages)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation >/dev/null; \
	fi

demo: setup
	$(BIN)/txplan parse inputs/*.xlsx inputs/*.csv inputs/*.pdf inputs/*.docx -o outputs/plans.jsonl
	# Every sample for every payer under each agency, DOCX and PDF (blocked plans as DRAFT;
	# see outputs/<agency>/manifest.csv). Exit 1 only means some plan was blocked.
	for agency in riverside northstar; do \
	  $(BIN)/txplan build inputs/*.xlsx inputs/*.csv inputs/*.pdf inputs/*.docx --payer all \
	    --agency $$agency --format docx,pdf --draft --client-copy -o outputs/$$agency \
	    --store outputs/store.db >/dev/null || [ $$? -eq 1 ] || exit 1; \
	done

test: setup
	$(BIN)/ruff check pipeline tests scripts benchmarks
	$(BIN)/pytest

bench: setup
	$(BIN)/python benchmarks/bench.py

lint: $(BIN)/txplan
	$(BIN)/ruff check pipeline tests scripts benchmarks
	$(BIN)/ruff format --check pipeline tests scripts benchmarks

clean:
	rm -rf $(VENV) outputs/*.jsonl
