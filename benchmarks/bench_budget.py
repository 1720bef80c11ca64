"""Spent and remaining of 2,000 budget lines over 10,000 → 100,000 analytic lines.

Run with `make bench-budget`, or directly:

    python benchmarks/bench_budget.py -- <odoo options: -d DB ...>

In a transaction that is rolled back: a plan of 2,000 tasks, one budget line each (so 2,000
analytic accounts), then analytic lines inserted in steps; at each step the spent, committed and
remaining amounts of all 2,000 lines are computed (grouped queries, no per-line query) and timed.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date

from common import odoo_registry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--steps", default="10000,50000,100000")
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)

    from odoo import SUPERUSER_ID, api
    from odoo.tools import SQL

    registry = odoo_registry(opts.odoo_args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        agency = env["cchc.agency"].create({"name": "Sở Benchmark", "identifier": "Q98"})
        plan = env["cchc.plan"].create(
            {
                "number": "2/KH-BENCH",
                "name": "Ngân sách benchmark",
                "issuing_agency_id": agency.id,
                "date_issued": date(2026, 1, 10),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        tasks = env["project.task"].create(
            [
                {
                    "name": f"Nhiệm vụ {i}",
                    "project_id": plan.project_id.id,
                    "lead_agency_id": agency.id,
                }
                for i in range(opts.tasks)
            ]
        )
        start = time.perf_counter()
        lines = env["cchc.budget.line"].create(
            [
                {
                    "plan_id": plan.id,
                    "task_id": task.id,
                    "name": task.name,
                    "fiscal_year": 2026,
                    "allocation": 100_000_000,
                }
                for task in tasks
            ]
        )
        env.flush_all()
        print(
            f"{opts.tasks} budget lines (and analytic accounts) created in "
            f"{time.perf_counter() - start:.2f} s"
        )
        column = env["cchc.budget.line"]._budget_column()
        accounts = lines.analytic_account_id.ids
        inserted = 0
        print(f"{'analytic lines':>15} {'compute all (s)':>16} {'per line (ms)':>14} {'check':>10}")
        timings = []
        for target in (int(x) for x in opts.steps.split(",")):
            cr.execute(
                SQL(
                    """
                    INSERT INTO account_analytic_line
                           (name, date, amount, unit_amount, company_id, %(column)s,
                            create_uid, create_date, write_uid, write_date)
                    SELECT 'bench', DATE '2026-03-01', -1000, 0, %(company)s,
                           (%(accounts)s::int[])[1 + mod(g, %(n)s)],
                           1, now(), 1, now()
                      FROM generate_series(%(first)s, %(last)s) AS g
                    """,
                    column=SQL.identifier(column),
                    company=env.company.id,
                    accounts=accounts,
                    n=len(accounts),
                    first=inserted,
                    last=target - 1,
                )
            )
            inserted = target
            cr.execute("ANALYZE account_analytic_line")
            env.invalidate_all()
            start = time.perf_counter()
            lines = lines.browse(lines.ids)
            lines._compute_amounts()
            total_spent = sum(lines.mapped("spent"))
            elapsed = time.perf_counter() - start
            timings.append(elapsed)
            ok = "ok" if abs(total_spent - 1000 * inserted) < 1 else "WRONG"
            print(f"{inserted:>15,} {elapsed:>16.3f} {1000 * elapsed / len(lines):>14.3f} {ok:>10}")
        print(
            f"target: all {opts.tasks} lines at 100,000 analytic lines in ≤ 2 s; "
            f"growth {timings[0]:.3f} s → {timings[-1]:.3f} s "
            f"(×{timings[-1] / timings[0]:.1f} for ×{inserted // int(opts.steps.split(',')[0])} "
            f"rows)"
        )
        cr.rollback()


if __name__ == "__main__":
    sys.exit(main())
