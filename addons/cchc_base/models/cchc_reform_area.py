from odoo import fields, models


class CchcReformArea(models.Model):
    """An area of the State administrative reform programme 2021–2030 (Nghị quyết 76/NQ-CP)."""

    _name = "cchc.reform.area"
    _description = "Reform area"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code used in imports and reports, e.g. 'TTHC'.")
    sequence = fields.Integer(default=10)
    roman = fields.Char(string="Numbering", help="The section number plans give it: I, II, …")
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE(code)", "The code of a reform area must be unique."),
    ]
