# CCHC Suite — the two commands a newcomer needs: `make demo` and `make test`.
# Everything else is in tools/dev.py (standard-library Python, bootstraps the rest).
PYTHON ?= python3
DEV := $(PYTHON) tools/dev.py

.PHONY: demo demo-reset test setup bench-calendar bench-plan bench-budget bench-edxml bench-exchange bench-onestop help

help:
	@echo "make demo        run the product with demo data on http://localhost:8069"
	@echo "make demo-reset  drop and recreate the demo database, then run it"
	@echo "make test        lint + pure tests + Odoo tests of every addon (fresh database)"
	@echo "make test ADDONS=cchc_base   the Odoo tests of one addon (lint and pure tests too)"
	@echo "make bench-calendar          working-day arithmetic: pure core vs resource.calendar"
	@echo "make bench-plan              a 2,000-task plan: import, consolidation, XLSX"
	@echo "make bench-budget            spent/remaining of 2,000 budget lines, 10k-100k rows"
	@echo "make bench-edxml             1,000 edXML packages with 1 MB: build, sign, verify (pure)"
	@echo "make bench-exchange          10,000 packages with jobs: receive and send (--quick: 1,000)"
	@echo "make bench-onestop           1,000,000 dossiers: dashboard, 10,000 received, overdue scan"

demo:
	$(DEV) demo

demo-reset:
	$(DEV) demo --reset

test:
	$(DEV) test $(if $(ADDONS),--addons $(ADDONS)) $(if $(TAGS),--test-tags $(TAGS))

setup:
	$(DEV) setup

bench-calendar:
	$(DEV) bench calendar

bench-plan:
	$(DEV) bench plan

bench-budget:
	$(DEV) bench budget

bench-edxml:
	$(DEV) setup > /dev/null && $${CCHC_VENV:-.venv}/bin/python benchmarks/bench_edxml.py

bench-exchange:
	$(DEV) bench exchange $(BENCH_ARGS)

bench-onestop:
	$(DEV) bench onestop
