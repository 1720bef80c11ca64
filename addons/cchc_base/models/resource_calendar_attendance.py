from odoo import api, fields, models

ADMINISTRATIVE_CALENDAR = "cchc_base.resource_calendar_administrative"


def clear_if_administrative(calendars):
    """The office hours and time zone of the administrative calendar are kept in the registry's
    cache (the one-stop clock): a change to them clears it, in every worker."""
    calendar_id = calendars.env["ir.model.data"]._xmlid_to_res_id(
        ADMINISTRATIVE_CALENDAR, raise_if_not_found=False
    )
    if calendar_id and calendar_id in calendars.ids:
        calendars.env.registry.clear_cache()


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    cchc_holiday_id = fields.Many2one(
        "cchc.holiday", string="Make-up working day", ondelete="cascade", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        clear_if_administrative(records.calendar_id)
        return records

    def write(self, vals):
        calendars = self.calendar_id
        res = super().write(vals)
        clear_if_administrative(calendars | self.calendar_id)
        return res

    def unlink(self):
        calendars = self.calendar_id
        res = super().unlink()
        clear_if_administrative(calendars)
        return res
