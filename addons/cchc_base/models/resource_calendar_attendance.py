from odoo import fields, models


class ResourceCalendarAttendance(models.Model):
    _inherit = "resource.calendar.attendance"

    cchc_holiday_id = fields.Many2one(
        "cchc.holiday", string="Make-up working day", ondelete="cascade", index=True
    )
