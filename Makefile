# CCHC Suite — the two commands a newcomer needs: `make demo` and `make test`.
# Everything else is in tools/dev.py (standard-library Python, bootstraps the rest).
PYTHON ?= python3
DEV := $(PYTHON) tools/dev.py

.PHONY: demo demo-reset test setup backup restore cluster bench-calendar bench-plan bench-budget bench-edxml bench-pdf bench-exchange bench-onestop bench-web bench-portal bench-assessment help

help:
	@echo "make demo        run the product with demo data on http://localhost:8069"
	@echo "make demo-reset  drop and recreate the demo database, then run it"
	@echo "make test        lint + pure tests + Odoo tests of every addon (fresh database)"
	@echo "make test ADDONS=cchc_base   the Odoo tests of one addon (lint and pure tests too)"
	@echo "make cluster     the demo on two prefork nodes behind HAProxy on :8069"
	@echo "make backup [DB=cchc_demo] [OUT=file]   database + filestore as one file"
	@echo "make restore FILE=backup [DB=new_db]    restore into a new database, then verify it"
	@echo "make bench-calendar          working-day arithmetic: pure core vs resource.calendar"
	@echo "make bench-plan              a 2,000-task plan: import, consolidation, XLSX"
	@echo "make bench-budget            spent/remaining of 2,000 budget lines, 10k-100k rows"
	@echo "make bench-edxml             300 edXML packages with 1 MB: build, sign, verify (pure)"
	@echo "make bench-pdf               PDF verification: fast path vs previous fast path vs pyHanko (pure)"
	@echo "make bench-exchange          10,000 packages with jobs: receive and send (--quick: 1,000)"
	@echo "make bench-web               officers' screens vs Odoo's own, 1-50 users, 1 and 2 nodes"
	@echo "make bench-onestop           1,000,000 dossiers: dashboard, 10,000 received, overdue scan"
	@echo "make bench-portal            public catalogue and tracking pages: 2,000 procedures, 100,000 dossiers"
	@echo "make bench-assessment        reform index: 1,000 agencies x 90 sub-criteria, compute, rank"

demo:
	$(DEV) demo

demo-reset:
	$(DEV) demo --reset

test:
	$(DEV) test $(if $(ADDONS),--addons $(ADDONS)) $(if $(TAGS),--test-tags $(TAGS))

setup:
	$(DEV) setup

cluster:
	$(DEV) cluster

backup:
	$(DEV) backup $(if $(DB),--db $(DB)) $(if $(OUT),--out $(OUT))

restore:
	$(DEV) restore $(FILE) $(if $(DB),--db $(DB))

bench-calendar:
	$(DEV) bench calendar

bench-plan:
	$(DEV) bench plan

bench-budget:
	$(DEV) bench budget

bench-edxml:
	$(DEV) setup > /dev/null && $${CCHC_VENV:-.venv}/bin/python benchmarks/bench_edxml.py

bench-pdf:
	$(DEV) setup > /dev/null && $${CCHC_VENV:-.venv}/bin/python benchmarks/bench_pdf_verify.py

bench-exchange:
	$(DEV) bench exchange $(BENCH_ARGS)

bench-onestop:
	$(DEV) bench onestop

bench-web:
	$(DEV) bench web $(ARGS)

bench-portal:
	$(DEV) bench portal

bench-assessment:
	$(DEV) bench assessment
