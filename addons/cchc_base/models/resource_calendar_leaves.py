from odoo import fields, models


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    cchc_holiday_id = fields.Many2one(
        "cchc.holiday", string="Administrative holiday", ondelete="cascade", index=True
    )
