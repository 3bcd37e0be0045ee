# Two commands on a fresh Debian machine with Python 3.11:
#   make demo   install, ingest the bundled sample, validate, load, compare
#   make test   install, run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
WAREHOUSE ?= data/demo.duckdb
# A Chinese font for tests/test_host_fonts.py (parsing reads no host font)
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc

.PHONY: install demo test bench office samples variants budgets ui clean

$(BIN)/activate: requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' 
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { apt-get update -qq && apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV); }
	@test -f $(CJK_FONT) || { apt-get update -qq && apt-get install -y -qq fonts-wqy-microhei; }
	@# PostgreSQL for the Dagster instance shared by workers (tests/test_distributed.py starts its own server)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq postgresql; }
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || cp pipelines/$(if $(DAGSTER_POSTGRES_URL),dagster.postgres.yaml,dagster.yaml) $(DAGSTER_HOME)/dagster.yaml
	@touch $(BIN)/activate

install: $(BIN)/activate

demo: install
	@$(BIN)/disclosures demo --samples samples/pdfs --warehouse $(WAREHOUSE)
	@echo
	@echo "Expenditure by department (万元), 2024, from fact_amounts via mart_department_totals:"
	@$(BIN)/disclosures query "SELECT department, fiscal_year, expenditure_wan, expenditure_change_pct AS yoy_pct, rank_in_region AS rank, share_of_region_pct AS share_pct, flagged FROM mart_department_totals WHERE fiscal_year = 2024 ORDER BY expenditure_wan DESC" --warehouse $(WAREHOUSE)
	@echo
	@echo "Warehouse: $(CURDIR)/$(WAREHOUSE)  (analysts: open $(CURDIR)/$(basename $(WAREHOUSE)).snapshot.duckdb read-only)"
	@echo "Dagster UI on the same data: make ui"

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python bench/run.py

# The office producers need LibreOffice and CJK fonts, the print-driver route Ghostscript (from Debian).
office:
	@command -v soffice >/dev/null && command -v gs >/dev/null || { apt-get update -qq && apt-get install -y -qq libreoffice-writer libreoffice-calc fonts-noto-cjk ghostscript; }

# Regenerates the bundled sample PDFs.
samples: install office
	$(BIN)/python -m disclosures.generator --samples --out samples/pdfs

# Regenerates tests/data/generated: every layout variant by every producer.
variants: install office
	$(BIN)/python -m disclosures.generator --variants --out tests/data/generated --redistilled tests/data/redistilled

# Regenerates tests/data/budgets: every budget template by every producer, with the departments' final accounts;
# and tests/data/budgets-seeded: the office producers' budgets with one seeded error each.
budgets: install office
	$(BIN)/python -m disclosures.generator --budget-variants --out tests/data/budgets --seeded tests/data/budgets-seeded

# `dg dev` reads [tool.dg] in pyproject.toml (the same code location as `dagster dev -w workspace.yaml`).
# One Dagster home per warehouse: another WAREHOUSE needs DAGSTER_HOME=... of its own.
ui: install
	DISCLOSURES_WAREHOUSE=$(WAREHOUSE) VIRTUAL_ENV=$(CURDIR)/$(VENV) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/dg dev

clean:
	rm -rf data .dagster_home
