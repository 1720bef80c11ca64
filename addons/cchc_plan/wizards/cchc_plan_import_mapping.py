from odoo import fields, models


class CchcPlanImportMapping(models.TransientModel):
    _name = "cchc.plan.import.mapping"
    _description = "Agency name to map"

    wizard_id = fields.Many2one("cchc.plan.import", required=True, ondelete="cascade")
    name = fields.Char(string="Name in the appendix", readonly=True)
    suggestion = fields.Char(string="Closest agencies", readonly=True)
    agency_id = fields.Many2one("cchc.agency")
    remember = fields.Boolean(
        string="Remember as alias",
        default=True,
        help="Next imports will recognise this name.",
    )
    ignore = fields.Boolean(help="Not an agency (e.g. 'các cơ quan có liên quan'): skip it.")
