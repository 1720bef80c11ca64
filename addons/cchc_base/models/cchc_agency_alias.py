from odoo import api, fields, models

from cchc_core.text import fold


class CchcAgencyAlias(models.Model):
    _name = "cchc.agency.alias"
    _description = "Agency alias"
    _order = "name"

    name = fields.Char(required=True, help="A name as written in plans: 'Sở TT&TT'.")
    name_key = fields.Char(compute="_compute_name_key", store=True, index=True)
    agency_id = fields.Many2one("cchc.agency", ondelete="cascade", index=True)
    group_id = fields.Many2one("cchc.agency.group", ondelete="cascade", index=True)

    _sql_constraints = [
        ("name_key_unique", "UNIQUE(name_key)", "This alias already names another agency."),
        (
            "one_target",
            "CHECK((agency_id IS NULL) != (group_id IS NULL))",
            "An alias names either one agency or one group of agencies.",
        ),
    ]

    @api.depends("name")
    def _compute_name_key(self):
        for alias in self:
            alias.name_key = fold(alias.name)
