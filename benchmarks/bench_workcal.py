"""Working-day arithmetic: the pure core against Odoo's own resource.calendar.

Run with `make bench-calendar` (it prepares a database with cchc_base), or directly:

    python benchmarks/bench_workcal.py --pairs 10000 -- <odoo options: -d DB --addons-path ...>

Both sides use the same holidays (the cchc.holiday records, mirrored onto the administrative
resource.calendar). Prints calls per second for each side, the ratio, and the number of
disagreements, which must be 0.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta

from cchc_core.workcal import WorkCalendar


def random_pairs(count, seed=20261121):
    rng = random.Random(seed)
    first = date(2025, 1, 1).toordinal()
    span = date(2027, 10, 31).toordinal() - first
    return [
        (date.fromordinal(first + rng.randrange(span)), rng.randint(1, 40)) for _ in range(count)
    ]


def timed(func, items):
    start = time.perf_counter()
    results = [func(*item) for item in items]
    return results, time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=10000)
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    odoo_args = opts.odoo_args[1:] if opts.odoo_args[:1] == ["--"] else opts.odoo_args

    import odoo
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(odoo_args)
    dbname = odoo.tools.config["db_name"]
    if not dbname:
        sys.exit("give the database: -- -d DB")
    registry = odoo.modules.registry.Registry(dbname)
    pairs = random_pairs(opts.pairs)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        Holiday = env["cchc.holiday"]
        years = {d.year for d, _n in pairs} | {d.year + 1 for d, _n in pairs}
        Holiday.generate_statutory(sorted(years))
        calendar = env.ref("cchc_base.resource_calendar_administrative")

        # The pure calendar, built as the model builds it (from the database).
        build_start = time.perf_counter()
        pure = Holiday._build_work_calendar.__wrapped__(Holiday, cr.dbname)
        pure.add_working_days(date(2025, 1, 1), 1)
        build_time = time.perf_counter() - build_start
        assert isinstance(pure, WorkCalendar)

        def odoo_add(day, n):
            end = datetime.combine(day, datetime.max.time().replace(microsecond=0))
            return calendar.plan_days(n, end, compute_leaves=True).date()

        odoo_results, odoo_time = timed(odoo_add, pairs)
        pure_results, pure_time = timed(pure.add_working_days, pairs)
        add_diff = sum(a != b for a, b in zip(odoo_results, pure_results, strict=True))

        count_pairs = [(d, d + timedelta(days=n * 2)) for d, n in pairs[: max(1, opts.pairs // 5)]]

        def odoo_count(start, end):
            data = calendar.get_work_duration_data(
                datetime.combine(start + timedelta(days=1), datetime.min.time()),
                datetime.combine(end + timedelta(days=1), datetime.min.time()),
                compute_leaves=True,
            )
            return round(data["days"])

        # get_work_duration_data reads the naive datetimes as UTC: 00:00 UTC is 07:00 in
        # Vietnam, before office hours, so the window covers whole local working days.
        odoo_counts, odoo_count_time = timed(odoo_count, count_pairs)
        pure_counts, pure_count_time = timed(pure.count_working_days, count_pairs)
        count_diff = sum(a != b for a, b in zip(odoo_counts, pure_counts, strict=True))
        cr.rollback()

    n_add, n_count = len(pairs), len(count_pairs)
    rows = [
        ("add N working days", n_add, odoo_time, pure_time, add_diff),
        ("count working days", n_count, odoo_count_time, pure_count_time, count_diff),
    ]
    print(f"pure calendar built from the database in {build_time * 1000:.1f} ms")
    print(
        f"{'operation':<20} {'pairs':>6} {'odoo calls/s':>13} {'pure calls/s':>13} "
        f"{'speed-up':>9} {'disagree':>9}"
    )
    for name, count, t_odoo, t_pure, diff in rows:
        print(
            f"{name:<20} {count:>6} {count / t_odoo:>13,.0f} {count / t_pure:>13,.0f} "
            f"{t_odoo / t_pure:>8,.0f}x {diff:>9}"
        )
    return 1 if add_diff or count_diff else 0


if __name__ == "__main__":
    sys.exit(main())
