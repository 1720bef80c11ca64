"""A province-size plan: import, consolidated report and XLSX, timed (nothing is committed).

Run with `make bench-plan`, or directly:

    python benchmarks/bench_plan.py --tasks 2000 --agencies 60 -- <odoo options: -d DB ...>

Creates 60 agencies and a plan in a transaction that is rolled back, imports an appendix of
2,000 rows through the import wizard (pasted text), creates and consolidates the reports of one
period, and exports the plan's XLSX. Prints the time of each step next to its target.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date

from common import odoo_registry, timed

PHRASES = [
    "Quý I/2026",
    "Quý II/2026",
    "Trong năm 2026",
    "Thường xuyên trong năm",
    "Tháng 9/2026",
    "Hàng quý, 6 tháng và năm",
    "Khi có văn bản của Bộ Nội vụ",
]
SECTIONS = ["I", "II", "III", "IV", "V", "VI", "VII"]


def appendix_text(tasks: int, agencies: list[str]) -> str:
    lines = ["STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành"]
    per_section = -(-tasks // len(SECTIONS))
    number = 0
    for roman in SECTIONS:
        lines.append(f"{roman} | Lĩnh vực {roman} | | |")
        for i in range(per_section):
            if number == tasks:
                break
            lead = agencies[number % len(agencies)]
            coordinating = f"{agencies[(number + 7) % len(agencies)]}; Các sở, ban, ngành"
            phrase = PHRASES[number % len(PHRASES)]
            lines.append(
                f"{i + 1} | Nhiệm vụ số {number + 1} của kế hoạch | {lead} | "
                f"{coordinating} | {phrase}"
            )
            number += 1
    return "\n".join(lines)


PROFILE = False


def step(label, target, func):
    result, elapsed = timed(func, PROFILE, top=30)
    verdict = "ok" if elapsed <= target else "OVER"
    print(f"{label:<46} {elapsed:8.2f} s   target ≤ {target:>4} s   {verdict}")
    return result, elapsed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--agencies", type=int, default=60)
    parser.add_argument("--profile", action="store_true", help="print a profile of each step")
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    global PROFILE
    PROFILE = opts.profile

    from odoo import SUPERUSER_ID, api

    registry = odoo_registry(opts.odoo_args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        env["cchc.holiday"].generate_statutory([2026])
        province = env["cchc.agency"].create(
            {"name": "UBND tỉnh Benchmark", "identifier": "Q99", "kind": "province_committee"}
        )
        agencies = env["cchc.agency"].create(
            [
                {
                    "name": f"Sở Benchmark {i:02d}",
                    "identifier": f"Q99.{i:02d}",
                    "parent_id": province.id,
                }
                for i in range(1, opts.agencies + 1)
            ]
        )
        plan = env["cchc.plan"].create(
            {
                "number": "1/KH-BENCH",
                "name": "Kế hoạch benchmark",
                "issuing_agency_id": province.id,
                "date_issued": date(2026, 1, 10),
                "year_from": 2026,
                "year_to": 2026,
            }
        )
        text = appendix_text(opts.tasks, agencies.mapped("name"))
        print(f"plan of {opts.tasks} tasks across {opts.agencies} agencies")

        def do_import():
            wizard = env["cchc.plan.import"].create(
                {"plan_id": plan.id, "source": "text", "text": text}
            )
            wizard.action_parse()
            wizard.action_confirm()
            env.flush_all()
            return wizard

        step("import (parse, match, preview, create)", 10, do_import)
        assert len(plan.task_ids) == opts.tasks, len(plan.task_ids)
        plan.action_put_in_force()
        period = plan.period_ids.sorted("due_date")[0]

        def consolidate():
            reports = period.action_generate_reports()
            for report in reports:
                report.results = f"Kết quả của {report.agency_id.name}"
            province_report = env["cchc.plan.report"]._consolidate(period)
            env.flush_all()
            return reports, province_report

        (reports, province_report), _ = step(
            f"reports of {opts.agencies} agencies + consolidation", 5, consolidate
        )
        assert len(province_report.line_ids) == opts.tasks
        env.invalidate_all()
        (data, _kind), _ = step(
            f"XLSX of {opts.tasks} tasks",
            3,
            lambda: env["ir.actions.report"]._render_xlsx(
                "cchc_plan.plan_appendix_xlsx", plan.ids, data=None
            ),
        )
        print(f"XLSX size {len(data) / 1024:.0f} KiB; {len(reports)} agency reports")
        cr.rollback()


if __name__ == "__main__":
    sys.exit(main())
