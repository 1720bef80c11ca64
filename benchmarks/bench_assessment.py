"""A reform index campaign for 1,000 agencies × 90 sub-criteria (90,000 scores).

Run with `make bench-assessment`, or directly:

    python benchmarks/bench_assessment.py -- <odoo options: -d DB ...>

In a transaction that is rolled back: 1,000 department-level agencies, a set of 6 areas × 5
criteria × 3 sub-criteria (90 scored items, 100 points; 12 computed from the plan's tasks and
periodic reports), 5,000 plan tasks and 1,000 periodic reports of the year, a campaign opened
(1,000 scorecards, 90,000 score lines in one statement), self-scores written in SQL. Timed:
computing every computed sub-criterion and the ranking (target ≤ 10 s), and the ranking page
as the coordinator (list + grouped counts, target ≤ 1 s).
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime

from common import odoo_registry


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--agencies", type=int, default=1000)
    parser.add_argument("--tasks", type=int, default=5000)
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)

    from odoo import SUPERUSER_ID, Command, api
    from odoo.tools import SQL

    registry = odoo_registry(opts.odoo_args)
    rng = random.Random(2026)
    year = 2025
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {"tracking_disable": True})
        out = []

        def say(text):
            out.append(text)
            print(text, flush=True)

        started = time.perf_counter()
        env["cchc.holiday"].generate_statutory([year, year + 1, date.today().year + 1])
        province = env["cchc.agency"].create(
            {"name": "UBND tỉnh Bench", "identifier": "B99", "kind": "province_committee"}
        )
        agencies = env["cchc.agency"].create(
            [
                {"name": f"Sở thử nghiệm {i:04d}", "parent_id": province.id, "kind": "department"}
                for i in range(opts.agencies)
            ]
        )
        all_departments = env["cchc.agency"].search([("kind", "=", "department")])
        plan = env["cchc.plan"].create(
            {
                "number": "9/KH-BENCH",
                "name": "Kế hoạch CCHC benchmark",
                "issuing_agency_id": province.id,
                "date_issued": date(year, 1, 5),
                "year_from": year,
                "year_to": year,
            }
        )
        Task = env["project.task"]
        for start in range(0, opts.tasks, 1000):
            Task.create(
                [
                    {
                        "name": f"Nhiệm vụ {i}",
                        "project_id": plan.project_id.id,
                        "lead_agency_id": agencies[i % len(agencies)].id,
                        "date_deadline": datetime(year, 1 + i % 12, 20, 10),
                        "cchc_progress": rng.choice((0, 50, 100, 100, 100)),
                    }
                    for i in range(start, min(start + 1000, opts.tasks))
                ]
            )
        period = plan.period_ids[:1]
        env["cchc.plan.report"].create(
            [{"period_id": period.id, "agency_id": agency.id} for agency in agencies]
        ) if period else None
        sources = [
            env.ref("cchc_assessment.indicator_source_task_completion"),
            env.ref("cchc_assessment.indicator_source_report_on_time"),
        ]
        set_ = env["cchc.assessment.set"].create(
            {"name": "Bộ benchmark", "year": year, "total_points": 100}
        )
        C = env["cchc.assessment.criterion"]
        area_points = [20, 20, 15, 15, 15, 15]
        computed = 0
        for a, points in enumerate(area_points):
            area = C.create(
                {
                    "set_id": set_.id,
                    "code": "IVXLCD"[a],
                    "name": f"Lĩnh vực {a + 1}",
                    "max_points": points,
                }
            )
            for c in range(5):
                crit = C.create(
                    {
                        "set_id": set_.id,
                        "parent_id": area.id,
                        "code": f"{a}{c}",
                        "name": f"Tiêu chí {a + 1}.{c + 1}",
                        "max_points": points / 5,
                    }
                )
                third = round(points / 15, 2)
                for s, sub_points in enumerate((third, third, round(points / 5 - 2 * third, 2))):
                    vals = {
                        "set_id": set_.id,
                        "parent_id": crit.id,
                        "code": f"{a}{c}.{s}",
                        "name": f"Tiêu chí thành phần {a + 1}.{c + 1}.{s + 1}",
                        "max_points": sub_points,
                    }
                    if s == 0 and c < 2:
                        computed += 1
                        vals.update(
                            method="computed",
                            source_id=sources[computed % 2].id,
                            band_ids=[
                                Command.create({"threshold": 90, "points": sub_points}),
                                Command.create({"threshold": 50, "points": sub_points / 2}),
                            ],
                        )
                    C.create(vals)
        campaign = env["cchc.assessment.campaign"].create(
            {"name": "Benchmark", "year": year, "set_ids": [Command.set(set_.ids)]}
        )
        say(
            f"setup: {len(agencies)} agencies, {opts.tasks} tasks, "
            f"{time.perf_counter() - started:.1f} s"
        )
        t0 = time.perf_counter()
        campaign.action_open()  # creates and computes once
        env.flush_all()
        lines = env["cchc.assessment.score"].search_count([("campaign_id", "=", campaign.id)])
        say(
            f"campaign opened: {campaign.scorecard_count} scorecards, {lines} score lines "
            f"(one INSERT … SELECT + first computation) in {time.perf_counter() - t0:.1f} s"
        )
        env.cr.execute(
            SQL(
                """UPDATE cchc_assessment_score s
                      SET self_score = ROUND((s.max_points * (0.5 + random() / 2))::numeric, 2),
                          final_score = ROUND((s.max_points * (0.5 + random() / 2))::numeric, 2)
                     FROM cchc_assessment_criterion c
                    WHERE c.id = s.criterion_id AND c.method = 'self'
                      AND s.campaign_id = %s""",
                campaign.id,
            )
        )
        env.invalidate_all()

        t0 = time.perf_counter()
        campaign._compute_lines()
        t1 = time.perf_counter()
        campaign._rank()
        env.flush_all()
        elapsed = time.perf_counter() - t0
        say(
            f"compute every computed sub-criterion ({computed} × {len(all_departments)}) "
            f"{t1 - t0:.2f} s and the ranking {time.perf_counter() - t1:.2f} s: "
            f"{elapsed:.2f} s (target ≤ 10 s)"
        )

        coordinator = env["res.users"].create(
            {
                "name": "Điều phối bench",
                "login": "bench_coord",
                "groups_id": [Command.link(env.ref("cchc_base.group_cchc_coordinator").id)],
            }
        )
        Card = env["cchc.assessment.scorecard"].with_user(coordinator)
        view_fields = [
            "rank",
            "agency_id",
            "agency_kind",
            "final_total",
            "max_total",
            "percentage",
            "grade",
            "previous_percentage",
            "percentage_change",
            "task_rate",
            "task_rule_breached",
            "state",
        ]
        domain = [("campaign_id", "=", campaign.id), ("rank", "!=", 0)]
        for label in ("first", "second"):
            env.invalidate_all()
            t0 = time.perf_counter()
            groups = Card.read_group(domain, ["percentage:avg"], ["agency_kind"])
            page = Card.web_search_read(
                domain, {name: {} for name in view_fields}, limit=80, order="agency_kind, rank"
            )
            pivot = Card.read_group(
                domain, ["percentage:avg"], ["agency_kind", "grade"], lazy=False
            )
            elapsed = time.perf_counter() - t0
            say(
                f"ranking page as the coordinator ({label}): {len(groups)} group(s), "
                f"{page['length']} rows, first 80 read, pivot {len(pivot)} cells: "
                f"{elapsed:.3f} s (target ≤ 1 s)"
            )
        best = Card.search(domain, order="rank", limit=1)
        say(f"first: {best.agency_id.name} {best.percentage:.2f}% group {best.grade}")
        cr.rollback()


if __name__ == "__main__":
    main()
