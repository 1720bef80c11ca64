from odoo import fields, models


class CchcIndicator(models.Model):
    _inherit = "cchc.indicator"

    plan_id = fields.Many2one("cchc.plan", index=True, ondelete="cascade")
