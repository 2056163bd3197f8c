# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
# The venv's interpreter: the distribution's own python3 where it is 3.11 or newer, else the
# first python3 on PATH (`make PYTHON=... setup` chooses another). Debian builds its Python with
# profile-guided and link-time optimisation, which a plain source build (pyenv's, say) lacks:
# a 10,000-row build takes 7-14 % less CPU under it (README, "Large batches").
SYSTEM_PYTHON := $(shell /usr/bin/python3 -c 'import sys; print(sys.version_info >= (3, 11))' 2>/dev/null)
PYTHON ?= $(if $(filter True,$(SYSTEM_PYTHON)),/usr/bin/python3,python3)
VENV := .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test bench lint setup system-deps compiler-deps venv-interpreter serve clean

$(BIN)/txplan: pyproject.toml setup.py pipeline/readers/sheetxml/cscan.c
	@$(PYTHON) -c 'import ensurepip' 2>/dev/null || { \
	  echo "Installing python3-venv (Debian package)..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,cluster]'
	touch $@

# Bytecode for the package, as pip writes it for an installed one (an editable install does
# not, and PYTHONDONTWRITEBYTECODE=1 keeps Python from writing it later): without it every
# `txplan` command compiles each module it imports, ~0.25 CPU s before a build's first plan.
# Only changed modules are compiled again.
# A venv made by another interpreter than $(PYTHON) is made again (its packages reinstalled).
INTERPRETER = import os, sys; print(os.path.realpath(getattr(sys, "_base_executable", sys.executable)))
setup: venv-interpreter compiler-deps $(BIN)/txplan system-deps
	@PYTHONDONTWRITEBYTECODE= $(BIN)/python -m compileall -q pipeline >/dev/null

venv-interpreter:
	@if [ -x $(BIN)/python ] && [ "$$($(BIN)/python -c '$(INTERPRETER)' 2>/dev/null)" != \
	  "$$($(PYTHON) -c '$(INTERPRETER)')" ]; then \
	  echo "The venv was made by another Python than $(PYTHON): making it again..."; \
	  rm -rf $(VENV); fi

# A C compiler and Python's headers (gcc, python3-dev: Debian's packages, only where missing),
# for the XLSX sheet scanner that `pip install -e` compiles (setup.py); without them it is
# skipped and workbooks are read by calamine, slower. Made before the venv installs txplan.
PYTHON_H = $(shell $(PYTHON) -c 'import os, sysconfig; print(os.path.join(sysconfig.get_paths()["include"], "Python.h"))' 2>/dev/null)
compiler-deps:
	@if ! command -v gcc >/dev/null 2>&1 || ! test -f "$(PYTHON_H)"; then \
	  echo "Installing gcc and python3-dev (Debian packages), for the XLSX sheet scanner..."; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $(SUDO) apt-get install -y -qq --no-install-recommends gcc python3-dev >/dev/null; \
	  touch setup.py; \
	fi

# LibreOffice (PDF conversion), the metric-compatible fonts Carlito and Liberation,
# Tesseract (OCR of scanned forms), poppler-utils (pdftoppm, to look at rendered pages) and
# Chromium (the web app's browser tests, driven by Playwright; never a browser download),
# DejaVu Sans (fonts-dejavu-core: the one font of the progress charts) and qpdf (the filled
# forms' structure check in the tests), from Debian's packages, only where missing.
system-deps: compiler-deps
	@if ! command -v soffice >/dev/null 2>&1 || ! command -v tesseract >/dev/null 2>&1 \
	  || ! command -v pdftoppm >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1 \
	  || ! command -v qpdf >/dev/null 2>&1 \
	  || ! fc-list | grep -qi carlito || ! fc-list | grep -qi liberation \
	  || ! test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf; then \
	  echo "Installing LibreOffice, fonts, Tesseract, poppler-utils, Chromium, qpdf (Debian packages)..."; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends \
	    libreoffice-writer-nogui fonts-crosextra-carlito fonts-liberation tesseract-ocr \
	    poppler-utils chromium fonts-dejavu-core qpdf >/dev/null; \
	fi

# The samples come from two fictional agencies' systems; each is built under its agency with
# --payer all (each client's own payers, by the payer and member id on the intake, and the
# clinical plan), DOCX and PDF, with a client copy. Blocked plans are rendered as DRAFT (see
# outputs/<agency>/manifest.csv for why); exit 1 only means some plan was blocked. Quiet: one
# line a plan and a summary a build, under 60 lines in all (`txplan build -v`: every finding).
RIVERSIDE_INPUTS := inputs/counseltrack_wide.xlsx inputs/practiceflow_workbook.xlsx \
	inputs/intake-form-fillable.pdf inputs/intake-questionnaire.docx
NORTHSTAR_INPUTS := inputs/mindledger_long.csv inputs/assessment-summary-flat.pdf

demo: setup
	@$(BIN)/txplan parse inputs/*.xlsx inputs/*.csv inputs/*.pdf inputs/*.docx -o outputs/plans.jsonl
	@$(BIN)/txplan build $(RIVERSIDE_INPUTS) --payer all --agency riverside --format docx,pdf \
	  --draft --client-copy -o outputs/riverside || [ $$? -eq 1 ]
	@$(BIN)/txplan build $(NORTHSTAR_INPUTS) --payer all --agency northstar --format docx,pdf \
	  --draft --client-copy -o outputs/northstar || [ $$? -eq 1 ]
	@echo "Plans in outputs/riverside and outputs/northstar; manifests: outputs/*/manifest.csv"
	@echo "The 90-day review of CT-1001 (inputs/reviews/), its diff, redline and revised ISP:"
	@$(BIN)/txplan revise inputs/reviews/review-90day-CT-1001.csv --payer medicaid-isp
	@$(BIN)/txplan diff CT-1001 --docx outputs/CT-1001-redline.docx --agency riverside \
	  > outputs/CT-1001-diff.txt
	@$(BIN)/txplan diff CT-1001 --redline outputs/CT-1001-isp-redline.docx --payer medicaid-isp \
	  --agency riverside > /dev/null
	@$(BIN)/txplan build --from-store CT-1001 --payer medicaid-isp --agency riverside \
	  --format docx,pdf --draft -o outputs/reviewed || [ $$? -eq 1 ]
	@echo "Store: $${TXPLAN_STORE:-~/.local/share/txplan/plans.sqlite3} (txplan history CT-1001)"

# The web app on http://127.0.0.1:8787/ (open the address it prints, with its token).
serve: setup
	$(BIN)/txplan serve --store outputs/txplan.sqlite3 -o outputs

test: setup
	$(BIN)/ruff check pipeline tests scripts benchmarks
	$(BIN)/pytest

# Every input of the hostile corpus (tests/hostile/, generated at test time, > 500 inputs):
# each must end cleanly within its time limit and under 1 GB more memory. `make test` runs
# a fast subset of it.
fuzz: setup
	TXPLAN_FUZZ=all $(BIN)/pytest tests/hostile -q -rf

bench: setup
	$(BIN)/python benchmarks/bench.py
	$(BIN)/python benchmarks/read_rows.py

lint: $(BIN)/txplan
	$(BIN)/ruff check pipeline tests scripts benchmarks
	$(BIN)/ruff format --check pipeline tests scripts benchmarks

clean:
	rm -rf $(VENV) outputs/*.jsonl
