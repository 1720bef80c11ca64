from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    cchc_budget_guard = fields.Selection(
        related="company_id.cchc_budget_guard", readonly=False, required=True
    )
