from odoo import models

from .resource_calendar_attendance import clear_if_administrative


class ResourceCalendar(models.Model):
    _inherit = "resource.calendar"

    def write(self, vals):
        res = super().write(vals)
        # The hours' own overrides see attendance commands; the time zone is the calendar's.
        if "tz" in vals:
            clear_if_administrative(self)
        return res

    def unlink(self):
        calendars = self.browse(self.ids)
        res = super().unlink()
        clear_if_administrative(calendars)
        return res
