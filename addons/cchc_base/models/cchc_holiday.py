from datetime import datetime, time, timedelta

import pytz

from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from cchc_core.workcal import WorkCalendar, statutory_holidays

MAX_SPAN_DAYS = 31


class CchcHoliday(models.Model):
    """A day off or a make-up working day of the administrative calendar.

    Statutory holidays (Labour Code 2019 art. 112, lunar dates at UTC+7) are generated per year;
    the yearly schedule the Ministry announces (swapped days off, make-up Saturdays) is typed in
    as data. Every record is mirrored onto the administrative ``resource.calendar`` (a global
    leave for a day off, dated attendances for a make-up day), so Odoo's own planning agrees.
    """

    _name = "cchc.holiday"
    _description = "Holiday or make-up working day"
    _order = "date_from desc"

    name = fields.Char(required=True)
    date_from = fields.Date(string="From", required=True)
    date_to = fields.Date(string="To", required=True)
    kind = fields.Selection(
        [("day_off", "Day off"), ("workday", "Make-up working day")],
        required=True,
        default="day_off",
    )
    origin = fields.Selection(
        [("statutory", "Statutory"), ("schedule", "Yearly schedule")],
        required=True,
        default="schedule",
        help="Statutory: generated from the Labour Code. Yearly schedule: announced swaps and "
        "make-up days.",
    )
    year = fields.Integer(compute="_compute_year", store=True, index=True)
    reference = fields.Char(
        help="The text that announced it, e.g. 'Thông báo 6150/TB-BLĐTBXH ngày 12/11/2024'."
    )
    calendar_id = fields.Many2one(
        "resource.calendar",
        required=True,
        ondelete="cascade",
        default=lambda self: self._default_calendar(),
    )
    leave_ids = fields.One2many("resource.calendar.leaves", "cchc_holiday_id")
    attendance_ids = fields.One2many("resource.calendar.attendance", "cchc_holiday_id")

    @api.model
    def _default_calendar(self):
        return self.env.ref("cchc_base.resource_calendar_administrative", raise_if_not_found=False)

    @api.depends("date_from")
    def _compute_year(self):
        for rec in self:
            rec.year = rec.date_from.year if rec.date_from else 0

    @api.constrains("date_from", "date_to", "kind")
    def _check_dates(self):
        for rec in self:
            if rec.date_to < rec.date_from:
                raise ValidationError(
                    self.env._(
                        "%(name)s ends (%(end)s) before it starts (%(start)s).",
                        name=rec.name,
                        end=rec.date_to,
                        start=rec.date_from,
                    )
                )
            if (rec.date_to - rec.date_from).days >= MAX_SPAN_DAYS:
                raise ValidationError(
                    self.env._(
                        "%(name)s spans more than %(days)s days; enter each holiday on its own.",
                        name=rec.name,
                        days=MAX_SPAN_DAYS,
                    )
                )
            if rec.kind == "workday" and any(d.weekday() < 5 for d in rec._days()):
                raise ValidationError(
                    self.env._(
                        "A make-up working day must fall on a Saturday or a Sunday: %(name)s.",
                        name=rec.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._sync_resource_calendar()
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(vals)
        if {"date_from", "date_to", "kind", "name", "calendar_id"} & set(vals):
            self._sync_resource_calendar()
        self.env.registry.clear_cache()
        return res

    def unlink(self):
        self.leave_ids.unlink()
        self.attendance_ids.unlink()
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    # ---------------------------------------------------------------- working-day arithmetic

    @api.model
    def add_working_days(self, day, n):
        """The n-th working day after ``day`` (``day`` itself never counts)."""
        return self._work_calendar().add_working_days(fields.Date.to_date(day), n)

    @api.model
    def count_working_days(self, start, end):
        """Working days after ``start`` up to and including ``end``."""
        return self._work_calendar().count_working_days(
            fields.Date.to_date(start), fields.Date.to_date(end)
        )

    @api.model
    def is_working_day(self, day):
        return self._work_calendar().is_working_day(fields.Date.to_date(day))

    @api.model
    def _work_calendar(self):
        return self._build_work_calendar(self.env.cr.dbname)

    @tools.ormcache("dbname")
    def _build_work_calendar(self, dbname):
        """The pure calendar of every holiday in the database, cached until one changes."""
        self.flush_model(["date_from", "date_to", "kind"])
        self.env.cr.execute("SELECT date_from, date_to, kind FROM cchc_holiday ORDER BY date_from")
        days_off, workdays = [], []
        for date_from, date_to, kind in self.env.cr.fetchall():
            span = [date_from + timedelta(days=i) for i in range((date_to - date_from).days + 1)]
            (workdays if kind == "workday" else days_off).extend(span)
        days_off.extend(self._resource_leave_days())
        return WorkCalendar(days_off=days_off, extra_workdays=workdays)

    @api.model
    def _resource_leave_days(self):
        """Days off typed straight into Odoo's own calendar (a public holiday of Time Off, a
        leave of the Working Hours form): a global leave of the administrative calendar, or of
        every calendar, that covers a weekday's office hours makes it a day off, as it does for
        Odoo's own planning. The leaves mirrored from holidays are counted above already."""
        calendar = self._default_calendar()
        if not calendar:
            return []
        calendar = calendar.sudo()
        hours = {}  # weekday -> (opening, closing) in hours, of the undated lines
        for line in calendar.attendance_ids:
            if line.date_from or line.date_to or line.cchc_holiday_id:
                continue
            opening, closing = hours.get(int(line.dayofweek), (line.hour_from, line.hour_to))
            hours[int(line.dayofweek)] = (
                min(opening, line.hour_from),
                max(closing, line.hour_to),
            )
        self.env["resource.calendar.leaves"].flush_model(
            ["cchc_holiday_id", "resource_id", "time_type", "calendar_id", "date_from", "date_to"]
        )
        self.env.cr.execute(
            """
            SELECT date_from, date_to FROM resource_calendar_leaves
             WHERE cchc_holiday_id IS NULL AND resource_id IS NULL AND time_type = 'leave'
               AND (calendar_id IS NULL OR calendar_id = %s)
            """,
            [calendar.id],
        )
        tz = pytz.timezone(calendar.tz or "Asia/Ho_Chi_Minh")
        days = []
        for date_from, date_to in self.env.cr.fetchall():
            start = pytz.utc.localize(date_from).astimezone(tz).replace(tzinfo=None)
            end = pytz.utc.localize(date_to).astimezone(tz).replace(tzinfo=None)
            for i in range((end.date() - start.date()).days + 1):
                day = start.date() + timedelta(days=i)
                if day.weekday() not in hours:
                    continue
                opening, closing = hours[day.weekday()]
                midnight = datetime.combine(day, time.min)
                if start <= midnight + timedelta(hours=opening) and end >= midnight + timedelta(
                    hours=closing
                ):
                    days.append(day)
        return days

    # ---------------------------------------------------------------- statutory holidays

    @api.model
    def generate_statutory(self, years):
        """Create the statutory holidays of ``years`` that are not in the database yet."""
        calendar = self._default_calendar()
        existing = {
            (rec.date_from, rec.kind)
            for rec in self.search([("year", "in", list(years)), ("origin", "=", "statutory")])
        }
        vals_list = []
        for year in years:
            for holiday in statutory_holidays(year):
                kind = "workday" if holiday.kind == "makeup_workday" else "day_off"
                if (holiday.day, kind) in existing:
                    continue
                vals_list.append(
                    {
                        "name": holiday.name,
                        "date_from": holiday.day,
                        "date_to": holiday.day,
                        "kind": kind,
                        "origin": "statutory",
                        "calendar_id": calendar.id,
                    }
                )
        return self.create(vals_list)

    @api.model
    def _cron_generate_next_year(self):
        today = fields.Date.context_today(self)
        self.generate_statutory([today.year, today.year + 1])
        # An edit of the calendar's working hours may have dropped mirrored lines: rebuild them.
        self.search([("year", ">=", today.year)])._sync_resource_calendar()

    # ---------------------------------------------------------------- resource.calendar mirror

    def _days(self):
        self.ensure_one()
        return [
            self.date_from + timedelta(days=i)
            for i in range((self.date_to - self.date_from).days + 1)
        ]

    def _sync_resource_calendar(self):
        self.leave_ids.unlink()
        self.attendance_ids.unlink()
        leaves, attendances = [], []
        for rec in self:
            calendar = rec.calendar_id
            tz = pytz.timezone(calendar.tz or "Asia/Ho_Chi_Minh")
            if rec.kind == "day_off":
                start = tz.localize(datetime.combine(rec.date_from, time.min))
                end = tz.localize(datetime.combine(rec.date_to, time.max.replace(microsecond=0)))
                leaves.append(
                    {
                        "name": rec.name,
                        "calendar_id": calendar.id,
                        "date_from": start.astimezone(pytz.utc).replace(tzinfo=None),
                        "date_to": end.astimezone(pytz.utc).replace(tzinfo=None),
                        "time_type": "leave",
                        "cchc_holiday_id": rec.id,
                    }
                )
                continue
            weekday_lines = calendar.attendance_ids.filtered(
                lambda a: a.dayofweek == "0" and not a.date_from and not a.cchc_holiday_id
            )
            for day in rec._days():
                for line in weekday_lines:
                    attendances.append(
                        {
                            "name": f"{rec.name} ({line.name})",
                            "calendar_id": calendar.id,
                            "dayofweek": str(day.weekday()),
                            "day_period": line.day_period,
                            "hour_from": line.hour_from,
                            "hour_to": line.hour_to,
                            "date_from": day,
                            "date_to": day,
                            "cchc_holiday_id": rec.id,
                        }
                    )
        self.env["resource.calendar.leaves"].sudo().create(leaves)
        self.env["resource.calendar.attendance"].sudo().create(attendances)
