"""The one-stop clock of a database: its working days, office hours and time zone.

cchc_core.onestop counts in naive local time with a pure WorkCalendar; Odoo stores UTC. One
:class:`OnestopClock` is built per database and kept in the registry's cache
(``cchc.onestop.dossier._clock``), built again only when a holiday, the office hours or the
time zone change.
"""

from datetime import time

import pytz

from odoo import fields

from cchc_core.onestop import DEFAULT_OFFICE, OfficeHours, OneStopError

DEFAULT_TZ = "Asia/Ho_Chi_Minh"


def _clock_time(hours):
    minutes = round(hours * 60)
    if minutes >= 24 * 60:
        return time(23, 59, 59, 999999)
    return time(minutes // 60, minutes % 60)


class OnestopClock:
    """Working calendar, office hours and time zone, with UTC <-> local conversions."""

    __slots__ = ("calendar", "office", "tz")

    def __init__(self, env, calendar=None, resource=None):
        self.calendar = calendar or env["cchc.holiday"]._work_calendar()
        if resource is None:
            resource = env.ref(
                "cchc_base.resource_calendar_administrative", raise_if_not_found=False
            )
        self.tz = pytz.timezone((resource and resource.tz) or DEFAULT_TZ)
        self.office = self._office_hours(resource)

    @staticmethod
    def _office_hours(resource):
        """Monday's periods of the administrative calendar (the province may change them)."""
        if not resource:
            return DEFAULT_OFFICE
        lines = resource.sudo().attendance_ids.filtered(
            lambda a: a.dayofweek == "0" and not a.date_from and not a.cchc_holiday_id
        )
        periods = tuple(
            (_clock_time(a.hour_from), _clock_time(a.hour_to))
            for a in lines.sorted("hour_from")
            if a.hour_to > a.hour_from
        )
        try:
            return OfficeHours(periods) if periods else DEFAULT_OFFICE
        except OneStopError:
            return DEFAULT_OFFICE

    @property
    def day_hours(self):
        return self.office.day_length.total_seconds() / 3600

    def local(self, value):
        """Naive local time of a naive UTC datetime (as Odoo stores it)."""
        if not value:
            return None
        return pytz.utc.localize(value).astimezone(self.tz).replace(tzinfo=None)

    def utc(self, value):
        """Naive UTC datetime of a naive local time."""
        if not value:
            return None
        return self.tz.localize(value).astimezone(pytz.utc).replace(tzinfo=None)

    def local_date(self, value):
        moment = self.local(value)
        return moment.date() if moment else None

    def now_local(self):
        return self.local(fields.Datetime.now())
