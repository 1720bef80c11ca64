from odoo import api, fields, models

from cchc_core.text import fold


class CchcOnestopField(models.Model):
    """A field of administrative procedures (lĩnh vực): land, civil status, investment…"""

    _name = "cchc.onestop.field"
    _description = "Field of procedures"
    _order = "sequence, name"

    name = fields.Char(required=True)
    code = fields.Char(help="The code of the field in the national database, when it has one.")
    name_key = fields.Char(compute="_compute_name_key", store=True, index=True)
    sequence = fields.Integer(default=10)
    procedure_ids = fields.One2many("cchc.onestop.procedure", "field_id", string="Procedures")
    procedure_count = fields.Integer(compute="_compute_procedure_count")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of a field must be unique."),
    ]

    @api.depends("name")
    def _compute_name_key(self):
        for rec in self:
            rec.name_key = fold(rec.name)

    def _compute_procedure_count(self):
        counts = dict(
            self.env["cchc.onestop.procedure"]._read_group(
                [("field_id", "in", self.ids)], ["field_id"], ["__count"]
            )
        )
        for rec in self:
            rec.procedure_count = counts.get(rec, 0)
