from odoo import fields, models


class CchcOnestopProcedureDocument(models.Model):
    _name = "cchc.onestop.procedure.document"
    _description = "Document required by a procedure"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "cchc.onestop.procedure", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Document", required=True)
    required = fields.Boolean(default=True)
    copies = fields.Integer(default=1, help="How many copies the applicant brings.")
    note = fields.Char(help="Original, certified copy, form number…")

    _sql_constraints = [
        ("copies_positive", "CHECK(copies >= 0)", "The number of copies cannot be negative."),
    ]
