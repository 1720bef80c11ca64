from odoo import api, fields, models

from .resource_calendar_attendance import ADMINISTRATIVE_CALENDAR


def counted(leaves):
    """Whether one of ``leaves`` is a day off of the working calendar kept in the registry's
    cache (cchc.holiday, the one-stop clock): a global leave of the administrative calendar, or
    of every calendar. Creating, moving or deleting one clears that cache, in every worker; a
    person's time off does not."""
    calendar_id = leaves.env["ir.model.data"]._xmlid_to_res_id(
        ADMINISTRATIVE_CALENDAR, raise_if_not_found=False
    )
    return any(
        not leave.resource_id and leave.calendar_id.id in (False, calendar_id)
        for leave in leaves.sudo()
    )


class ResourceCalendarLeaves(models.Model):
    _inherit = "resource.calendar.leaves"

    cchc_holiday_id = fields.Many2one(
        "cchc.holiday", string="Administrative holiday", ondelete="cascade", index=True
    )

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        if counted(records):
            self.env.registry.clear_cache()
        return records

    def write(self, vals):
        before = counted(self)
        res = super().write(vals)
        if before or counted(self):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        before = counted(self)
        res = super().unlink()
        if before:
            self.env.registry.clear_cache()
        return res
