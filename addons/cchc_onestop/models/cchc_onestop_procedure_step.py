from odoo import fields, models


class CchcOnestopProcedureStep(models.Model):
    """An internal step of a procedure: who handles it and within what share of the time."""

    _name = "cchc.onestop.procedure.step"
    _description = "Internal step of a procedure"
    _order = "procedure_id, sequence, id"

    procedure_id = fields.Many2one(
        "cchc.onestop.procedure", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Step", required=True)
    agency_id = fields.Many2one(
        "cchc.agency",
        string="Responsible agency",
        ondelete="restrict",
        help="Empty: the agency that receives the dossier.",
    )
    unit = fields.Char(
        string="Responsible unit", help="The division in charge, e.g. 'Phòng Quản lý đất đai'."
    )
    time_limit = fields.Float(
        string="Time", digits=(16, 2), help="In the unit of the procedure's processing time."
    )
    time_unit = fields.Selection(related="procedure_id.time_unit")
    handler_id = fields.Many2one(
        "res.users",
        string="Default handler",
        help="Who gets the step when a dossier reaches it; the agency's leader may reassign it.",
    )

    _sql_constraints = [
        ("time_limit_positive", "CHECK(time_limit >= 0)", "The time of a step cannot be negative."),
    ]
