"""The one-stop desk at 100,000 and 1,000,000 dossiers: dashboard, receiving, overdue scan.

Run with `make bench-onestop`, or directly:

    python benchmarks/bench_onestop.py [--dossiers 1000000] [--quick] -- <odoo options: -d DB ...>

In a transaction that is rolled back: 60 agencies (a desk officer, a handler and a leader each),
200 procedures in 15 fields (2 to 4 internal steps with handlers, a checklist, a few linked
procedures), then dossiers generated in SQL over the working days from 2024-01-01 to now (a
dossier cannot be received in the future), as the addon would have stored them: codes from the
per-agency daily counter, appointments and step deadlines on the working calendar and the office
hours (a random sample is checked against cchc_core), 70/27/3 % early/on time/late, the open
ones at their current step (the overdue ones marked by the previous hourly scan), refusals,
withdrawals, stops, supplements, channels, digitisation, ratings, apology letters. At one tenth
of the size and at the full size (--quick: 20,000 and 100,000) it times:

1. the indicator dashboard of the busiest agency for the last full quarter: every indicator
   source the addon registers, as the indicator cron and as a coordinator computes them, and
   the read_group calls of the figures' pivot (cchc.onestop.stat) as the agency's leader opens
   it — target ≤ 1 s;
2. receiving 10,000 dossiers through the desk's path (create, then action_receive: code,
   appointment, steps, deadlines, activities, chatter), batched per agency desk — target
   ≤ 60 s; for comparison the same without the chatter's messages, and a sample received one
   by one as the form does;
3. the overdue scan (_cron_overdue_scan), hourly as the data stands, and as a catch-up where no
   open dossier or running step has been marked yet — target ≤ 10 s.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta

from common import odoo_registry, timed

AGENCIES = 60
FIELDS = 15
PROCEDURES = 200
WINDOW_START = date(2024, 1, 1)
CHUNK = 250_000
DAY_LIMITS = [1, 2, 3, 5, 5, 7, 10, 10, 12, 15, 15, 20, 30]
HOUR_LIMITS = [4, 8, 16]
STEP_WEIGHTS = [1, 6, 2, 1]
STEP_NAMES = {
    2: ["Tiếp nhận, kiểm tra hồ sơ", "Thẩm định và phê duyệt"],
    3: ["Tiếp nhận, kiểm tra hồ sơ", "Thẩm định hồ sơ", "Lãnh đạo phê duyệt"],
    4: ["Tiếp nhận, kiểm tra hồ sơ", "Thẩm định hồ sơ", "Lãnh đạo phê duyệt", "Trả kết quả"],
}
NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bích Ngọc",
    "Lê Hoàng Phúc",
    "Phạm Thị Thu Hà",
    "Võ Minh Tuấn",
    "Huỳnh Thanh Tâm",
    "Đặng Quốc Bảo",
    "Bùi Thị Mai",
    "Công ty TNHH Nông sản Cửu Long",
    "Hợp tác xã Long Hồ",
]
TARGETS = {"dashboard": 1.0, "receive": 60.0, "scan": 10.0}
PROFILE = False


class Discard(Exception):
    """Raised at the end of a measured block to roll its changes back."""


def verdict(elapsed, target):
    return "PASS" if elapsed <= target else "MISS"


def line(label, elapsed, target, note=""):
    print(
        f"  {label:<58} {elapsed:8.3f} s   target ≤ {target:g} s   {verdict(elapsed, target)}"
        + (f"   {note}" if note else "")
    )


# ---------------------------------------------------------------- setup (ORM)


def build_catalogue(env):
    """Agencies with their people, fields, procedures; returns what the generator needs."""
    from odoo import Command

    env = env(
        context=dict(
            env.context, tracking_disable=True, mail_create_nolog=True, no_reset_password=True
        )
    )
    env["cchc.holiday"].generate_statutory([2023, 2024, 2025, 2026, 2027])
    Agency = env["cchc.agency"]
    province = Agency.create(
        {"name": "UBND tỉnh Benchmark", "identifier": "Q96", "kind": "province_committee"}
    )
    agencies = Agency.create(
        [
            {
                "name": f"Sở Benchmark {i:02d}",
                "identifier": f"Q96.{i:02d}",
                "parent_id": province.id,
            }
            for i in range(1, AGENCIES + 1)
        ]
    )
    ref = env.ref
    base_user = ref("base.group_user").id
    roles = {
        "desk": ref("cchc_base.group_cchc_onestop").id,
        "handler": ref("cchc_base.group_cchc_user").id,
        "leader": ref("cchc_base.group_cchc_leader").id,
    }
    users = env["res.users"].create(
        [
            {
                "name": f"{role} {agency.identifier}",
                "login": f"bench.onestop.{role}.{agency.identifier}",
                "groups_id": [Command.set([base_user, group])],
                "cchc_agency_id": agency.id,
            }
            for agency in agencies
            for role, group in roles.items()
        ]
    )
    people = {
        (user.cchc_agency_id.id, role): user
        for user in users
        for role in roles
        if user.login.startswith(f"bench.onestop.{role}.")
    }
    for agency in agencies:
        agency.leader_ids = people[(agency.id, "leader")]
    coordinator = env["res.users"].create(
        {
            "name": "coordinator Q96",
            "login": "bench.onestop.coordinator.Q96",
            "groups_id": [Command.set([base_user, ref("cchc_base.group_cchc_coordinator").id])],
            "cchc_agency_id": province.id,
        }
    )
    fields_ = env["cchc.onestop.field"].create(
        [{"name": f"Lĩnh vực benchmark {i:02d}"} for i in range(1, FIELDS + 1)]
    )
    vals_list = []
    for i in range(PROCEDURES):
        competent = agencies[i % AGENCIES]
        other = agencies[(i * 7 + 13) % AGENCIES]
        if other == competent:
            other = agencies[(i + 1) % AGENCIES]
        hours = i % 10 == 3
        limit = HOUR_LIMITS[i % len(HOUR_LIMITS)] if hours else DAY_LIMITS[i % len(DAY_LIMITS)]
        count = 2 + i % 3
        weights = STEP_WEIGHTS[:count] if count > 2 else [1, 3]
        amounts = [round(limit * w / sum(weights), 2) for w in weights]
        amounts[-1] = limit - sum(amounts[:-1])
        steps = []
        for seq, (name, amount) in enumerate(zip(STEP_NAMES[count], amounts, strict=True), 1):
            # The first and the last steps are the receiving desk's; a few procedures send the
            # dossier through another agency (tax, say) in the middle.
            if seq == 1 or (seq == count and count == 4):
                agency, handler = False, people[(competent.id, "desk")]
            elif seq == 2 and i % 4 == 1:
                at = agencies[(i + 30) % AGENCIES]
                agency, handler = at.id, people[(at.id, "handler")]
            else:
                role = "leader" if name.startswith("Lãnh đạo") else "handler"
                agency, handler = competent.id, people[(competent.id, role)]
            steps.append(
                Command.create(
                    {
                        "sequence": seq,
                        "name": name,
                        "agency_id": agency,
                        "handler_id": handler.id,
                        "time_limit": amount,
                    }
                )
            )
        vals_list.append(
            {
                "code": f"B.{i + 1:06d}",
                "name": f"Thủ tục benchmark số {i + 1}",
                "field_id": fields_[i % FIELDS].id,
                "competent_agency_id": competent.id,
                "agency_ids": [Command.set([competent.id, other.id])],
                "time_unit": "hour" if hours else "day",
                "time_limit": limit,
                "online_mode": ("full", "full", "partial", "partial", "none")[i % 5],
                "document_ids": [
                    Command.create({"name": "Đơn đề nghị", "sequence": 1}),
                    Command.create({"name": "Bản sao giấy tờ tùy thân", "sequence": 2}),
                    Command.create({"name": "Giấy ủy quyền", "sequence": 3, "required": False}),
                ],
                "step_ids": steps,
            }
        )
    procedures = env["cchc.onestop.procedure"].create(vals_list)
    # A few linked procedures (liên thông): approving one starts the next at its agency.
    for i in range(8):
        procedures[i].link_ids = [
            Command.create({"event": "resolved", "next_procedure_id": procedures[i + 100].id})
        ]
    return {
        "province": province,
        "agencies": agencies,
        "people": people,
        "coordinator": coordinator,
        "procedures": procedures,
        "others": {
            p.id: (p.agency_ids - p.competent_agency_id)[:1] or p.competent_agency_id
            for p in procedures
        },
    }


# ---------------------------------------------------------------- generation (SQL)


class Generator:
    """Dossiers, steps, apology letters and counters inserted with INSERT … SELECT."""

    def __init__(self, env, catalogue):
        from odoo.tools import SQL

        self.env, self.cr, self.SQL = env, env.cr, SQL
        clock = env["cchc.onestop.dossier"]._clock()
        self.tz = clock.tz.zone
        office = clock.office
        self.length = round(office.day_length.total_seconds() / 60)
        self.periods = [
            (p[0].hour * 60 + p[0].minute, p[1].hour * 60 + p[1].minute) for p in office.periods
        ]
        calendar = clock.calendar
        now_local = clock.now_local()
        self.now_utc = clock.utc(now_local).replace(microsecond=0)
        self.marked_before = self.now_utc - timedelta(hours=1)
        today = now_local.date()
        days = calendar.working_days_between(WINDOW_START - timedelta(days=40), today)
        days += calendar.working_days_between(today + timedelta(days=1), today + timedelta(400))
        self.index = {day: n for n, day in enumerate(days)}
        self.start_idx = self.index[calendar.add_working_days(WINDOW_START, 0)]
        elapsed = round(office.elapsed(now_local.time()) / 60_000_000)
        if calendar.is_working_day(today) and elapsed > 0:
            self.now_idx, self.now_elapsed = self.index[today], elapsed
        else:
            self.now_idx = self.index[calendar.add_working_days(today, -1)]
            self.now_elapsed = self.length
        self.generated = 0
        cr = self.cr
        cr.execute("SELECT setseed(0.2026)")
        cr.execute("CREATE TEMP TABLE bench_day (n int PRIMARY KEY, day date NOT NULL)")
        cr.execute(
            SQL(
                "INSERT INTO bench_day SELECT n - 1, d FROM unnest(%s::date[]) "
                "WITH ORDINALITY AS t(d, n)",
                days,
            )
        )
        self._load_catalogue(catalogue)
        cr.execute(
            """
            CREATE TEMP TABLE bench_gen (
                id int, g int, procedure_id int, field_id int, agency_id int, desk_id int,
                recv_idx int, e int, t_due int, t_res int, t_ret int, t_close int, t_now int,
                t_plan int, hour_limit bool, time_unit varchar, time_limit float,
                online_mode varchar, state varchar, fate varchar, timeliness varchar,
                channel varchar, digitised bool, rating int, applicant_kind varchar,
                applicant_name varchar, result varchar, number int
            )
            """
        )

    def _load_catalogue(self, catalogue):
        SQL, cr, length = self.SQL, self.cr, self.length
        people, others = catalogue["people"], catalogue["others"]
        cr.execute(
            """
            CREATE TEMP TABLE bench_proc (
                k int PRIMARY KEY, procedure_id int, field_id int, agency_a int, agency_b int,
                desk_a int, desk_b int, hour_limit bool, unit_min int, limit_days int,
                limit_min int, time_unit varchar, time_limit float, online_mode varchar,
                nsteps int, first_frac float
            )
            """
        )
        cr.execute(
            """
            CREATE TEMP TABLE bench_tmpl (
                procedure_id int, seq int, tmpl_id int, name varchar, agency_id int,
                handler_id int, time_limit float, cum_to float, frac_from float,
                frac_to float, last bool
            )
            """
        )
        for k, procedure in enumerate(catalogue["procedures"]):
            a, b = procedure.competent_agency_id.id, others[procedure.id].id
            hours = procedure.time_unit == "hour"
            templates = procedure.step_ids.sorted("sequence")
            limit = procedure.time_limit
            cumulative, rows = 0.0, []
            for position, template in enumerate(templates, 1):
                start = cumulative
                cumulative += template.time_limit
                rows.append(
                    (
                        procedure.id,
                        position,
                        template.id,
                        template.name,
                        template.agency_id.id or None,
                        template.handler_id.id or None,
                        template.time_limit,
                        cumulative,
                        start / limit,
                        cumulative / limit,
                        position == len(templates),
                    )
                )
            for row in rows:
                cr.execute(SQL("INSERT INTO bench_tmpl VALUES %s", row))
            cr.execute(
                SQL(
                    "INSERT INTO bench_proc VALUES %s",
                    (
                        k,
                        procedure.id,
                        procedure.field_id.id,
                        a,
                        b,
                        people[(a, "desk")].id,
                        people[(b, "desk")].id,
                        hours,
                        60 if hours else length,
                        0 if hours else int(limit),
                        round(limit * 60) if hours else 0,
                        procedure.time_unit,
                        limit,
                        procedure.online_mode,
                        len(templates),
                        rows[0][9],
                    ),
                )
            )

    # SQL fragments: T counts office minutes from the start of the receipt day (day 0 spans
    # (0, L], day j spans (jL, (j+1)L]); a moment is a working day plus office minutes.

    def _clock(self, elapsed, inclusive, scale):
        """Time since midnight once ``elapsed`` office time of a day has passed (``scale``
        units a minute)."""
        SQL = self.SQL
        parts, before = [], 0
        compare = SQL("<=") if inclusive else SQL("<")
        for start, end in self.periods:
            parts.append(
                SQL(
                    "WHEN %(x)s %(op)s %(upto)s THEN %(start)s + %(x)s - %(before)s",
                    x=elapsed,
                    op=compare,
                    upto=(before + end - start) * scale,
                    start=start * scale,
                    before=before * scale,
                )
            )
            before += end - start
        return SQL("(CASE %s ELSE %s END)", SQL(" ").join(parts), self.periods[-1][1] * scale)

    def _utc(self, day, t, inclusive=True, seconds=False):
        """UTC moment of office time ``t`` (minutes, or seconds) counted from ``day``'s start."""
        scale = 60 if seconds else 1
        return self.SQL(
            "((%(day)s + make_interval(%(unit)s => %(clock)s)) AT TIME ZONE %(tz)s) "
            "AT TIME ZONE 'UTC'",
            day=day,
            unit=self.SQL("secs") if seconds else self.SQL("mins"),
            clock=self._clock(self._in_day(t, scale), inclusive, scale),
            tz=self.tz,
        )

    def _in_day(self, t, scale=1):
        """Office time of T within its working day, (0, L]."""
        return self.SQL("(%(t)s - ((%(t)s - 1) / %(l)s) * %(l)s)", t=t, l=self.length * scale)

    def generate(self, count):
        """Add ``count`` dossiers in chunks; returns the seconds taken."""
        start = time.perf_counter()
        self.cr.execute("SET LOCAL work_mem = '256MB'")
        done = 0
        while done < count:
            size = min(CHUNK, count - done)
            self._chunk(self.generated + 1, self.generated + size)
            self.generated += size
            done += size
        self.cr.execute("SET LOCAL work_mem TO DEFAULT")
        for table in (
            "cchc_onestop_dossier",
            "cchc_onestop_dossier_step",
            "cchc_onestop_apology",
            "cchc_onestop_counter",
        ):
            self.cr.execute(self.SQL("ANALYZE %s", self.SQL.identifier(table)))
        self.env.invalidate_all()
        return time.perf_counter() - start

    def _chunk(self, first, last):
        SQL, cr, L = self.SQL, self.cr, self.length
        cr.execute("TRUNCATE bench_gen")
        cr.execute(
            SQL(
                """
            INSERT INTO bench_gen
            WITH draw AS MATERIALIZED (
                SELECT g,
                       floor(%(nproc)s * power(random(), 2))::int AS k,
                       %(start)s + floor(random() * (%(now)s - %(start)s + 1))::int AS recv_idx,
                       random() AS r_agency, random() AS r_e, random() AS r_fate,
                       random() AS r_tl, random() AS r_res, random() AS r_late,
                       random() AS r_ret, random() AS r_supp, random() AS r_chan,
                       random() AS r_dig, random() AS r_rate, random() AS r_star,
                       random() AS r_kind, random() AS r_name, random() AS r_result
                  FROM generate_series(%(first)s, %(last)s) AS g
            ), placed AS (
                SELECT d.*, p.procedure_id, p.field_id, p.hour_limit, p.limit_days,
                       p.limit_min, p.time_unit, p.time_limit, p.online_mode, p.nsteps,
                       p.first_frac,
                       CASE WHEN d.r_agency < 0.8 THEN p.agency_a ELSE p.agency_b END
                           AS agency_id,
                       CASE WHEN d.r_agency < 0.8 THEN p.desk_a ELSE p.desk_b END AS desk_id,
                       CASE WHEN d.recv_idx = %(now)s
                            THEN 1 + floor(d.r_e * (%(now_el)s - 1))::int
                            ELSE 1 + floor(d.r_e * (%(L)s - 1))::int
                       END AS e,
                       (%(now)s - d.recv_idx) * %(L)s + %(now_el)s AS t_now,
                       (d.recv_idx - %(start)s)::float / greatest(%(now)s - %(start)s, 1)
                           AS age,
                       CASE WHEN d.r_fate < 0.02 THEN 'refused'
                            WHEN d.r_fate < 0.03 THEN 'withdrawn'
                            WHEN d.r_fate < 0.035 THEN 'stopped'
                            WHEN d.r_fate < 0.0355 THEN 'stuck'
                            ELSE 'normal'
                       END AS fate
                  FROM draw d
                  JOIN bench_proc p ON p.k = d.k
            ), due AS (
                SELECT *,
                       CASE WHEN hour_limit THEN e + limit_min ELSE %(L)s * (limit_days + 1)
                       END AS t_due,
                       CASE WHEN hour_limit THEN e + limit_min - 1 ELSE %(L)s * limit_days
                       END AS early_hi
                  FROM placed
            ), res AS (
                SELECT *,
                       CASE WHEN r_tl < 0.70 AND early_hi > e
                                 THEN e + 1 + floor(r_res * (early_hi - e))::int
                            WHEN r_tl < 0.97 AND hour_limit THEN t_due
                            WHEN r_tl < 0.97
                                 THEN greatest(e, t_due - %(L)s) + 1
                                      + floor(r_res * (t_due - greatest(e, t_due - %(L)s)))::int
                            ELSE t_due + 1 + floor(power(r_late, 3) * 15 * %(L)s)::int
                       END AS t_res,
                       e + 1 + floor(r_res * (t_due - e))::int AS t_close
                  FROM due
            ), fated AS (
                SELECT *,
                       CASE WHEN fate = 'stuck' THEN t_due ELSE t_res END AS t_plan,
                       t_res + floor(r_ret * 2 * %(L)s)::int AS t_ret
                  FROM res
            ), stated AS (
                SELECT *,
                       CASE WHEN fate = 'refused' THEN 'refused'
                            WHEN fate IN ('withdrawn', 'stopped') AND t_close <= t_now THEN fate
                            WHEN fate = 'normal' AND t_res <= t_now
                                 THEN CASE WHEN t_ret <= t_now THEN 'returned' ELSE 'resolved' END
                            WHEN r_supp < 0.08 AND fate <> 'stuck' THEN 'supplement'
                            WHEN nsteps > 1 AND e + ceil((t_plan - e) * first_frac) <= t_now
                                 THEN 'processing'
                            ELSE 'received'
                       END AS state
                  FROM fated
            )
            SELECT nextval('cchc_onestop_dossier_id_seq'), g, procedure_id, field_id, agency_id,
                   desk_id, recv_idx, e, t_due, t_res, t_ret, t_close, t_now, t_plan, hour_limit,
                   time_unit, time_limit, online_mode, state, fate,
                   CASE WHEN state NOT IN ('resolved', 'returned') THEN NULL
                        WHEN hour_limit AND t_res < t_due THEN 'early'
                        WHEN hour_limit AND t_res = t_due THEN 'on_time'
                        WHEN hour_limit THEN 'late'
                        WHEN (t_res - 1) / %(L)s < (t_due - 1) / %(L)s THEN 'early'
                        WHEN (t_res - 1) / %(L)s = (t_due - 1) / %(L)s THEN 'on_time'
                        ELSE 'late'
                   END,
                   CASE WHEN online_mode = 'full'
                             THEN CASE WHEN r_chan < 0.35 + 0.45 * age THEN 'online' ELSE 'desk' END
                        WHEN online_mode = 'partial'
                             THEN CASE WHEN r_chan < 0.15 THEN 'online' ELSE 'desk' END
                        WHEN r_chan < 0.05 THEN 'postal'
                        ELSE 'desk'
                   END,
                   r_dig < 0.55 + 0.4 * age,
                   CASE WHEN state <> 'returned' OR r_rate >= 0.3 THEN NULL
                        WHEN t_res > t_due THEN 1 + floor(r_star * 3)::int
                        WHEN r_star < 0.55 THEN 5 WHEN r_star < 0.85 THEN 4
                        WHEN r_star < 0.95 THEN 3 WHEN r_star < 0.98 THEN 2 ELSE 1
                   END,
                   CASE WHEN r_kind < 0.85 THEN 'person' ELSE 'business' END,
                   (%(names)s::varchar[])[1 + floor(r_name * %(nnames)s)::int],
                   CASE WHEN state NOT IN ('resolved', 'returned') THEN NULL
                        WHEN r_result < 0.95 THEN 'approved' ELSE 'denied'
                   END,
                   NULL
              FROM stated
                """,
                nproc=PROCEDURES,
                start=self.start_idx,
                now=self.now_idx,
                now_el=self.now_elapsed,
                L=L,
                first=first,
                last=last,
                names=NAMES,
                nnames=len(NAMES),
            )
        )
        # The NNNN of the code: after the agency's last number of the receipt day, one counter
        # row per number, as _receive reserves them.
        counter = SQL.identifier(self.env["cchc.onestop.counter"]._table)
        cr.execute(
            SQL(
                """
            UPDATE bench_gen b SET number = n.number
              FROM (SELECT b2.id,
                           row_number() OVER (PARTITION BY b2.agency_id, b2.recv_idx ORDER BY b2.g)
                           + coalesce(c.last_number, 0) AS number
                      FROM bench_gen b2
                      JOIN bench_day d ON d.n = b2.recv_idx
                 LEFT JOIN (SELECT agency_id, day, max(number) AS last_number
                              FROM %(counter)s GROUP BY agency_id, day) c
                        ON c.agency_id = b2.agency_id AND c.day = d.day
                     WHERE b2.state <> 'refused') n
             WHERE n.id = b.id
                """,
                counter=counter,
            )
        )
        cr.execute(
            SQL(
                """
            INSERT INTO %(counter)s (agency_id, day, number)
            SELECT b.agency_id, d.day, b.number
              FROM bench_gen b JOIN bench_day d ON d.n = b.recv_idx
             WHERE b.number IS NOT NULL
                """,
                counter=counter,
            )
        )
        self._insert_dossiers()
        self._insert_steps()
        self._insert_apologies()

    def _insert_dossiers(self):
        SQL, L = self.SQL, self.length
        dossier = SQL.identifier(self.env["cchc.onestop.dossier"]._table)
        t = SQL.identifier
        received = self._utc(SQL("dr.day"), SQL("b.e"), inclusive=False)
        due = self._utc(SQL("dd.day"), t("b", "t_due"))
        resolved = self._utc(SQL("ds.day"), t("b", "t_res"))
        returned = self._utc(SQL("dt.day"), t("b", "t_ret"))
        closed = self._utc(SQL("dc.day"), t("b", "t_close"))
        self.cr.execute(
            SQL(
                """
            INSERT INTO %(dossier)s (
                id, name, agency_id, procedure_id, field_id, state, channel, received_by_id,
                applicant_kind, applicant_name, received_datetime, effective_received_datetime,
                received_date, appointment_datetime, appointment_date, first_appointment_datetime,
                promised_date, time_unit, time_limit, online_mode, clock_start_datetime,
                clock_left, is_digitised, is_overdue, resolved_datetime, resolved_date,
                returned_datetime, result, result_note, timeliness, processing_days,
                refusal_reason, stop_reason, withdraw_reason, closed_datetime, rating,
                rated_date, active, create_uid, create_date, write_uid, write_date)
            SELECT id,
                   CASE WHEN NOT refused
                        THEN identifier || '-' || to_char(received_day, 'YYMMDD') || '-'
                             || lpad(number::text, 4, '0')
                   END,
                   agency_id, procedure_id, field_id, state, channel, desk_id, applicant_kind,
                   applicant_name, received, received,
                   CASE WHEN NOT refused THEN received_day END,
                   CASE WHEN NOT refused THEN due END,
                   CASE WHEN NOT refused THEN due_day END,
                   CASE WHEN NOT refused THEN due END,
                   CASE WHEN done AND timeliness = 'late' THEN promised_day END,
                   CASE WHEN NOT refused THEN time_unit END,
                   CASE WHEN NOT refused THEN time_limit END,
                   CASE WHEN NOT refused THEN online_mode END,
                   CASE WHEN NOT refused THEN received END,
                   CASE WHEN NOT refused THEN time_limit END,
                   digitised,
                   state IN ('received', 'processing') AND due < %(marked)s,
                   CASE WHEN done THEN resolved END,
                   CASE WHEN done THEN resolved_day END,
                   CASE WHEN state = 'returned' THEN returned END,
                   result,
                   CASE WHEN result = 'approved' THEN 'Giấy chứng nhận số ' || id
                        WHEN result = 'denied' THEN 'Văn bản trả lời số ' || id
                   END,
                   timeliness,
                   CASE WHEN done THEN ((t_res - 1) / %(L)s)::float END,
                   CASE WHEN refused THEN 'Không thuộc thẩm quyền giải quyết.' END,
                   CASE WHEN state = 'stopped' THEN 'Người nộp không bổ sung hồ sơ.' END,
                   CASE WHEN state = 'withdrawn' THEN 'Người nộp rút hồ sơ.' END,
                   CASE WHEN refused THEN received + interval '10 minutes'
                        WHEN state IN ('stopped', 'withdrawn') THEN closed
                   END,
                   rating,
                   CASE WHEN rating IS NOT NULL THEN returned_day END,
                   TRUE, desk_id, received, desk_id,
                   CASE WHEN state = 'returned' THEN returned
                        WHEN done THEN resolved
                        WHEN state IN ('stopped', 'withdrawn') THEN closed
                        ELSE received
                   END
              FROM (
                SELECT b.*, a.identifier, b.state = 'refused' AS refused,
                       b.state IN ('resolved', 'returned') AS done,
                       dr.day AS received_day, dd.day AS due_day, ds.day AS resolved_day,
                       dt.day AS returned_day, dp.day AS promised_day,
                       %(received)s AS received, %(due)s AS due, %(resolved)s AS resolved,
                       %(returned)s AS returned, %(closed)s AS closed
                  FROM bench_gen b
                  JOIN cchc_agency a ON a.id = b.agency_id
                  JOIN bench_day dr ON dr.n = b.recv_idx
             LEFT JOIN bench_day dd ON dd.n = b.recv_idx + (b.t_due - 1) / %(L)s
             LEFT JOIN bench_day ds ON ds.n = b.recv_idx + (b.t_res - 1) / %(L)s
             LEFT JOIN bench_day dt ON dt.n = b.recv_idx + (b.t_ret - 1) / %(L)s
             LEFT JOIN bench_day dc ON dc.n = b.recv_idx + (b.t_close - 1) / %(L)s
             LEFT JOIN bench_day dp ON dp.n = b.recv_idx + (b.t_res - 1) / %(L)s + 1
              ) b
                """,
                dossier=dossier,
                marked=self.marked_before,
                L=L,
                received=received,
                due=due,
                resolved=resolved,
                returned=returned,
                closed=closed,
            )
        )

    def _insert_steps(self):
        SQL, L = self.SQL, self.length
        dossier = SQL.identifier(self.env["cchc.onestop.dossier"]._table)
        step = SQL.identifier(self.env["cchc.onestop.dossier.step"]._table)
        # Step deadlines in seconds: a share of a day (1.67 days) does not end on a minute.
        deadline = self._utc(SQL("dl.day"), SQL("s.dl"), seconds=True)
        remind = self._utc(SQL("dm.day"), SQL("s.dl"), seconds=True)
        started = self._utc(SQL("df.day"), SQL("s.s_from"), inclusive=False)
        finished = self._utc(SQL("dt.day"), SQL("s.s_to"))
        self.cr.execute(
            SQL(
                """
            INSERT INTO %(step)s (
                dossier_id, sequence, name, agency_id, handler_id, time_limit, deadline,
                remind_datetime, started_datetime, done_datetime, state, timeliness,
                is_overdue, escalated, reminded, procedure_step_id,
                create_uid, create_date, write_uid, write_date)
            SELECT id, seq, name, step_agency, handler_id, step_limit, deadline, remind,
                   CASE WHEN step_state IN ('done', 'in_progress', 'paused')
                          OR (step_state = 'cancelled' AND s_from <= t_close)
                        THEN started
                   END,
                   CASE WHEN step_state = 'done' THEN finished END,
                   step_state,
                   CASE WHEN step_state <> 'done' THEN NULL
                        WHEN hour_limit AND s_to < dl / 60 THEN 'early'
                        WHEN hour_limit AND s_to = dl / 60 THEN 'on_time'
                        WHEN hour_limit THEN 'late'
                        WHEN (s_to - 1) / %(L)s < (dl - 1) / %(L60)s THEN 'early'
                        WHEN (s_to - 1) / %(L)s = (dl - 1) / %(L60)s THEN 'on_time'
                        ELSE 'late'
                   END,
                   step_state = 'in_progress' AND deadline < %(marked)s,
                   (step_state = 'in_progress' AND deadline < %(marked)s)
                       OR (step_state = 'done' AND s_to * 60 > dl),
                   step_state IN ('done', 'in_progress', 'paused') AND remind < %(marked)s,
                   tmpl_id, desk_id, started, desk_id, coalesce(finished, started)
              FROM (
                SELECT s.*, %(deadline)s AS deadline, %(remind)s AS remind,
                       %(started)s AS started, %(finished)s AS finished
                  FROM (
                    SELECT x.*,
                           CASE WHEN x.state IN ('resolved', 'returned') THEN 'done'
                                WHEN x.state IN ('withdrawn', 'stopped')
                                     THEN CASE WHEN x.s_to <= x.t_close THEN 'done'
                                               ELSE 'cancelled' END
                                WHEN NOT x.last AND x.s_to <= x.t_now THEN 'done'
                                WHEN x.seq = 1 OR x.s_from <= x.t_now
                                     THEN CASE WHEN x.state = 'supplement' THEN 'paused'
                                               ELSE 'in_progress' END
                                ELSE 'pending'
                           END AS step_state
                      FROM (
                        SELECT b.id, b.desk_id, b.state, b.hour_limit, b.t_now, b.t_close,
                               b.recv_idx, t.seq, t.name, t.handler_id, t.tmpl_id, t.last,
                               t.time_limit AS step_limit,
                               coalesce(t.agency_id, b.agency_id) AS step_agency,
                               CASE WHEN b.hour_limit
                                    THEN b.e * 60 + round(t.cum_to * 3600)::int
                                    ELSE %(L60)s + round(t.cum_to * %(L60)s)::int
                               END AS dl,
                               b.e + ceil((b.t_plan - b.e) * t.frac_from)::int AS s_from,
                               b.e + ceil((b.t_plan - b.e) * t.frac_to)::int AS s_to
                          FROM bench_gen b
                          JOIN bench_tmpl t ON t.procedure_id = b.procedure_id
                         WHERE b.state <> 'refused'
                      ) x
                  ) s
                  JOIN bench_day dl ON dl.n = s.recv_idx + (s.dl - 1) / %(L60)s
                  JOIN bench_day dm ON dm.n = s.recv_idx + (s.dl - 1) / %(L60)s - 1
             LEFT JOIN bench_day df ON df.n = s.recv_idx + (s.s_from - 1) / %(L)s
             LEFT JOIN bench_day dt ON dt.n = s.recv_idx + (s.s_to - 1) / %(L)s
              ) steps
                """,
                step=step,
                L=L,
                L60=L * 60,
                marked=self.marked_before,
                deadline=deadline,
                remind=remind,
                started=started,
                finished=finished,
            )
        )
        self.cr.execute(
            SQL(
                """
            UPDATE %(dossier)s d
               SET current_step_id = s.id, current_handler_id = s.handler_id,
                   current_agency_id = s.agency_id
              FROM %(step)s s, bench_gen b
             WHERE b.state IN ('received', 'processing', 'supplement')
               AND d.id = b.id AND s.dossier_id = b.id AND s.state IN ('in_progress', 'paused')
                """,
                dossier=dossier,
                step=step,
            )
        )

    def _insert_apologies(self):
        SQL, L = self.SQL, self.length
        apology = SQL.identifier(self.env["cchc.onestop.apology"]._table)
        issued = self._utc(SQL("ds.day"), SQL("b.t_res"))
        self.cr.execute(
            SQL(
                """
            INSERT INTO %(apology)s (
                dossier_id, agency_id, responsible_agency_id, issued_datetime, issued_date,
                issued_by_id, reason, new_date, create_uid, create_date, write_uid, write_date)
            SELECT b.id, b.agency_id, b.agency_id, %(issued)s, ds.day, b.desk_id,
                   'Hồ sơ cần xác minh thêm.', dp.day, b.desk_id, %(issued)s, b.desk_id,
                   %(issued)s
              FROM bench_gen b
              JOIN bench_day ds ON ds.n = b.recv_idx + (b.t_res - 1) / %(L)s
              JOIN bench_day dp ON dp.n = b.recv_idx + (b.t_res - 1) / %(L)s + 1
             WHERE b.state IN ('resolved', 'returned') AND b.timeliness = 'late'
                """,
                apology=apology,
                issued=issued,
                L=L,
            )
        )

    def verify(self, sample=300):
        """Recompute a sample of generated dossiers with cchc_core as _receive/_resolve do."""
        from cchc_core.onestop import appointment, step_deadlines, timeliness

        Dossier = self.env["cchc.onestop.dossier"]
        clock = Dossier._clock()
        self.cr.execute(
            "SELECT id FROM cchc_onestop_dossier WHERE received_date IS NOT NULL "
            "ORDER BY random() LIMIT %s",
            [sample],
        )
        dossiers = Dossier.browse([row[0] for row in self.cr.fetchall()])
        good = 0
        for dossier in dossiers:
            procedure = dossier.procedure_id
            hours = procedure.time_unit == "hour"
            start = clock.local(dossier.effective_received_datetime)
            days, hour_limit = procedure._limit()
            due = appointment(start, days, hour_limit, calendar=clock.calendar, office=clock.office)
            steps = dossier.step_ids.sorted("sequence")
            deadlines = step_deadlines(
                start,
                steps.mapped("time_limit"),
                calendar=clock.calendar,
                office=clock.office,
                hours=hours,
            )
            ok = clock.utc(due) == dossier.appointment_datetime
            ok &= [clock.utc(d) for d in deadlines] == steps.mapped("deadline")
            if dossier.resolved_datetime:
                resolved = clock.local(dossier.resolved_datetime)
                ok &= dossier.timeliness == timeliness(resolved, due, hour_limit=hours)
                ok &= dossier.processing_days == clock.calendar.count_working_days(
                    start.date(), resolved.date()
                )
            good += ok
        self.env.invalidate_all()
        return good, len(dossiers)

    def census(self):
        self.cr.execute(
            """
            SELECT count(*),
                   count(*) FILTER (WHERE state IN ('received', 'processing', 'supplement')),
                   count(*) FILTER (WHERE state IN ('received', 'processing')
                                      AND appointment_datetime < now() AT TIME ZONE 'UTC'),
                   count(*) FILTER (WHERE timeliness = 'early'),
                   count(*) FILTER (WHERE timeliness = 'on_time'),
                   count(*) FILTER (WHERE timeliness = 'late'),
                   (SELECT count(*) FROM cchc_onestop_dossier_step)
              FROM cchc_onestop_dossier
            """
        )
        return self.cr.fetchone()


# ---------------------------------------------------------------- measurements


def discarded(cr, func):
    """Run ``func`` in a savepoint that is rolled back afterwards; returns its result."""
    box = {}
    try:
        with cr.savepoint():
            box["result"] = func()
            raise Discard
    except Discard:
        pass
    return box["result"]


def last_full_quarter(today):
    first_month = 3 * ((today.month - 1) // 3) + 1
    end = date(today.year, first_month, 1) - timedelta(days=1)
    start = date(end.year, end.month - 2, 1)
    return start, end


def measure_dashboard(env, catalogue, quarter):
    from odoo import SUPERUSER_ID, api

    cr = env.cr
    q_from, q_to = quarter
    cr.execute(
        """
        SELECT agency_id, count(*) FROM cchc_onestop_dossier
         WHERE received_date BETWEEN %s AND %s AND state NOT IN ('draft', 'refused')
         GROUP BY agency_id ORDER BY count(*) DESC LIMIT 1
        """,
        [q_from, q_to],
    )
    agency_id, received = cr.fetchone()
    agency = env["cchc.agency"].browse(agency_id)
    leader = catalogue["people"][(agency_id, "leader")]
    sources = env["cchc.indicator.source"].search([("model_name", "=", "cchc.onestop.dossier")])
    print(
        f"  dashboard of {agency.name} for {q_from:%d/%m/%Y}–{q_to:%d/%m/%Y} "
        f"({received:,} dossiers received in the quarter, {len(sources)} indicator sources)"
    )

    def indicators(user_env):
        def run():
            user_env.invalidate_all()
            agencies = user_env["cchc.agency"].browse(agency_id)
            return {
                source.code: source.with_env(user_env)._compute_values(agencies, q_from, q_to)
                for source in sources
            }

        return run

    measures = ["received_count:sum", "resolved_count:sum", "late_count:sum", "on_time_rate"]
    domain = [("agency_id", "=", agency_id), ("date", ">=", q_from), ("date", "<=", q_to)]

    def pivot():
        leader_env["cchc.onestop.stat"].invalidate_model()
        Stat = leader_env["cchc.onestop.stat"]
        groups = None
        for groupby in ([], ["agency_id"], ["date:quarter"], ["agency_id", "date:quarter"]):
            groups = Stat.read_group(domain, measures, groupby, lazy=False)
        return groups

    cron_env = api.Environment(cr, SUPERUSER_ID, {})
    coordinator_env = api.Environment(cr, catalogue["coordinator"].id, {})
    leader_env = api.Environment(cr, leader.id, {})
    results = {}
    for key, label, func in (
        ("indicators", "indicator sources, as the indicator cron", indicators(cron_env)),
        (
            "coordinator",
            "indicator sources, as a coordinator",
            indicators(coordinator_env),
        ),
        ("pivot", "figures pivot (4 read_group on cchc.onestop.stat), leader", pivot),
    ):
        times, value = [], None
        for _ in range(3):
            value, elapsed = timed(func, PROFILE)
            times.append(elapsed)
        median = statistics.median(times)
        results[key] = (value, median)
        line(label, median, TARGETS["dashboard"], f"(median of 3; first {times[0]:.3f} s)")
    values, _ = results["indicators"]
    (group,), _ = results["pivot"]
    same = (
        values["cchc_onestop.received"].get(agency_id, 0) == group["received_count"]
        and values["cchc_onestop.resolved"].get(agency_id, 0) == group["resolved_count"]
        and abs(values["cchc_onestop.on_time_rate"].get(agency_id, 0) - group["on_time_rate"])
        < 1e-6
        and results["coordinator"][0] == values
    )
    print(
        f"    received {group['received_count']:,.0f}, resolved {group['resolved_count']:,.0f}, "
        f"late {group['late_count']:,.0f}, on time {group['on_time_rate']:.1f} %; "
        f"indicators and pivot {'agree' if same else 'DISAGREE'}"
    )
    return {key: elapsed for key, (_value, elapsed) in results.items()}


def receive_vals(catalogue, count, rng):
    """``{agency: [vals]}`` of ``count`` new dossiers as the desk form fills them."""
    from odoo import Command

    procedures = catalogue["procedures"]
    by_agency = defaultdict(list)
    for i in range(count):
        procedure = procedures[int(len(procedures) * rng.random() ** 2)]
        agency = (
            procedure.competent_agency_id
            if rng.random() < 0.8
            else catalogue["others"][procedure.id]
        )
        online = procedure.online_mode == "full" and rng.random() < 0.6
        by_agency[agency].append(
            {
                "procedure_id": procedure.id,
                "agency_id": agency.id,
                "channel": "online" if online else "desk",
                "applicant_name": NAMES[i % len(NAMES)],
                "applicant_id_number": f"0860{i:08d}",
                "applicant_phone": f"0909 {i % 1000:03d} {i % 997:03d}",
                "applicant_address": "12 Lê Lợi, phường Thanh Đức",
                "document_ids": [
                    Command.create(
                        {
                            "name": doc.name,
                            "required": doc.required,
                            "copies": doc.copies,
                            "procedure_document_id": doc.id,
                            "sequence": doc.sequence,
                            "provided": True,
                        }
                    )
                    for doc in procedure.document_ids
                ],
            }
        )
    return by_agency


def measure_receive(env, catalogue, count, single):
    from odoo import api

    cr = env.cr
    rng = random.Random(2026)
    people = catalogue["people"]
    target = TARGETS["receive"] * count / 10_000

    def batch(context):
        by_agency = receive_vals(catalogue, count, rng)
        env.invalidate_all()
        received = env["cchc.onestop.dossier"]
        for agency, vals_list in by_agency.items():
            desk_env = api.Environment(cr, people[(agency.id, "desk")].id, context)
            dossiers = desk_env["cchc.onestop.dossier"].create(vals_list)
            dossiers.action_receive()
            received |= dossiers.with_env(env)
        env.flush_all()
        cr.precommit.run()
        return received, len(by_agency)

    def check(received):
        cr.execute(
            """
            SELECT count(*) FILTER (WHERE d.name IS NOT NULL AND d.state = 'received'
                                      AND d.appointment_datetime IS NOT NULL
                                      AND d.current_step_id IS NOT NULL),
                   (SELECT count(*) FROM cchc_onestop_dossier_step s
                     WHERE s.dossier_id = ANY(%s) AND s.deadline IS NOT NULL)
              FROM cchc_onestop_dossier d WHERE d.id = ANY(%s)
            """,
            [received.ids, received.ids],
        )
        return cr.fetchone()

    def run_batch(context):
        def run():
            (received, desks), elapsed = timed(lambda: batch(context), PROFILE)
            return elapsed, desks, check(received)

        return run

    elapsed, desks, (good, steps) = discarded(cr, run_batch({}))
    line(
        f"receive {count:,} dossiers ({desks} desks: create + action_receive)",
        elapsed,
        target,
        f"{1000 * elapsed / count:.2f} ms each",
    )
    print(f"    {good:,} received with code, appointment and current step; {steps:,} steps")
    # Where the time goes: the same without the chatter's two messages per dossier.
    quiet, _desks, _check = discarded(
        cr, run_batch({"mail_create_nolog": True, "mail_notrack": True})
    )
    print(
        f"    the same without the chatter's creation and tracking messages: {quiet:.1f} s "
        f"({1000 * quiet / count:.2f} ms each)"
    )
    single_time = None
    if single:

        def one_by_one():
            by_agency = receive_vals(catalogue, single, rng)
            env.invalidate_all()
            start = time.perf_counter()
            for agency, vals_list in by_agency.items():
                desk_env = api.Environment(cr, people[(agency.id, "desk")].id, {})
                for vals in vals_list:
                    dossier = desk_env["cchc.onestop.dossier"].create(vals)
                    dossier.action_receive()
                    desk_env.flush_all()
                    cr.precommit.run()
            return time.perf_counter() - start

        single_time = discarded(cr, one_by_one)
        print(
            f"    one by one as the form does ({single} dossiers, each created, received and "
            f"flushed): {1000 * single_time / single:.1f} ms each → "
            f"{single_time / single * count:.1f} s for {count:,}"
        )
    return elapsed, single_time / single * count if single else None, quiet


def measure_scan(env, generator):
    from odoo import SUPERUSER_ID, api

    cr = env.cr
    cron_env = api.Environment(cr, SUPERUSER_ID, {})
    Dossier = cron_env["cchc.onestop.dossier"]

    def scan():
        cron_env.invalidate_all()
        count, steps = Dossier._cron_overdue_scan()
        cron_env.flush_all()
        cr.precommit.run()
        return count, len(steps)

    (count, steps), hourly = discarded(cr, lambda: timed(scan, PROFILE))
    line("overdue scan, hourly run (as after the previous run)", hourly, TARGETS["scan"])
    print(f"    marked {count:,} dossiers, escalated {steps:,} steps")

    def catch_up():
        cr.execute(
            """
            UPDATE cchc_onestop_dossier SET is_overdue = FALSE
             WHERE state IN ('received', 'processing') AND is_overdue
            """
        )
        cr.execute(
            """
            UPDATE cchc_onestop_dossier_step SET is_overdue = FALSE, escalated = FALSE
             WHERE state = 'in_progress' AND (is_overdue OR escalated)
            """
        )
        cr.execute(
            "SELECT count(*) FROM cchc_onestop_dossier WHERE state IN ('received', 'processing')"
        )
        (running,) = cr.fetchone()
        cron_env.invalidate_all()
        return running, timed(scan, PROFILE)

    running, ((count, steps), full) = discarded(cr, catch_up)
    line("overdue scan, catch-up (nothing marked yet)", full, TARGETS["scan"])
    print(
        f"    {running:,} running dossiers: marked {count:,} overdue, escalated {steps:,} steps "
        "(a message and an activity per leader each)"
    )
    return hourly, full


def measure(env, catalogue, generator, quarter, opts):
    figures = {}
    figures.update(measure_dashboard(env, catalogue, quarter))
    figures["receive"], figures["receive_single"], figures["receive_quiet"] = measure_receive(
        env, catalogue, opts.receive, opts.single
    )
    figures["scan"], figures["scan_catch_up"] = measure_scan(env, generator)
    return figures


def summary(sizes, results, receive):
    rows = [
        ("indicators", "dashboard: indicator sources (cron)", "dashboard"),
        ("coordinator", "dashboard: indicator sources (coordinator)", "dashboard"),
        ("pivot", "dashboard: figures pivot (leader)", "dashboard"),
        ("receive", f"receive {receive:,}, batched per desk", "receive"),
        ("receive_quiet", "  the same without chatter messages", None),
        ("receive_single", f"receive {receive:,} one by one (extrapolated)", None),
        ("scan", "overdue scan, hourly", "scan"),
        ("scan_catch_up", "overdue scan, catch-up", "scan"),
    ]
    small, large = sizes
    print()
    print(
        f"{'':<46}{small:>11,}{large:>12,}   growth   target (at {large:,})\n"
        f"{'':<46}{'dossiers':>11}{'dossiers':>12}   ×{large / small:g} rows"
    )
    for key, label, target_key in rows:
        a, b = results[small].get(key), results[large].get(key)
        if a is None or b is None:
            continue
        if target_key:
            target = TARGETS[target_key] * (receive / 10_000 if target_key == "receive" else 1)
            goal = f"≤ {target:g} s  {verdict(b, target)}"
        else:
            goal = "(for comparison)"
        print(f"{label:<46}{a:>10.3f}s{b:>11.3f}s   ×{b / a:<6.2f} {goal}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000, help="the full size")
    parser.add_argument(
        "--quick", action="store_true", help="20,000 then 100,000 dossiers, 2,000 received"
    )
    parser.add_argument("--receive", type=int, default=None, help="dossiers received (10,000)")
    parser.add_argument("--single", type=int, default=200, help="received one by one (sample)")
    parser.add_argument("--profile", action="store_true", help="print a profile of each step")
    parser.add_argument("odoo_args", nargs=argparse.REMAINDER)
    opts = parser.parse_args(argv)
    global PROFILE
    PROFILE = opts.profile
    sizes = (20_000, 100_000) if opts.quick else (opts.dossiers // 10, opts.dossiers)
    if opts.receive is None:
        opts.receive = 2_000 if opts.quick else 10_000
    if opts.quick:
        opts.single = min(opts.single, 100)

    from odoo import SUPERUSER_ID, api

    registry = odoo_registry(opts.odoo_args)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        catalogue, elapsed = timed(lambda: build_catalogue(env), PROFILE)
        print(
            f"{AGENCIES} agencies with a desk officer, a handler and a leader each, "
            f"{PROCEDURES} procedures in {FIELDS} fields: {elapsed:.1f} s"
        )
        generator = Generator(env, catalogue)
        quarter = last_full_quarter(generator.now_utc.date())
        results = {}
        for size in sizes:
            elapsed = generator.generate(size - generator.generated)
            total, open_, overdue, early, on_time, late, steps = generator.census()
            resolved = early + on_time + late
            print(
                f"\n== {total:,} dossiers from {WINDOW_START:%d/%m/%Y} to now "
                f"(+{elapsed:.1f} s of generation): {open_:,} open, {overdue:,} of them past "
                f"their appointment; {resolved:,} resolved "
                f"{100 * early / resolved:.0f}/{100 * on_time / resolved:.0f}/"
                f"{100 * late / resolved:.0f} % early/on time/late; {steps:,} steps; "
                f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
            )
            good, checked = generator.verify()
            print(
                f"  {good} of {checked} dossiers drawn at random have the appointment, step "
                "deadlines, timeliness and working days cchc_core computes for them"
            )
            results[size] = measure(env, catalogue, generator, quarter, opts)
        summary(sizes, results, opts.receive)
        cr.rollback()


if __name__ == "__main__":
    sys.exit(main())
