from odoo import fields, models
from odoo.exceptions import UserError


class CchcDocumentAssign(models.TransientModel):
    """The clerk gives a received document to a person or a unit, with a deadline."""

    _name = "cchc.document.assign"
    _description = "Assign an incoming document"

    document_id = fields.Many2one("cchc.document", required=True)
    user_id = fields.Many2one("res.users", string="Handler")
    unit = fields.Char(string="Handling unit")
    days = fields.Integer(
        string="Working days",
        help="Empty: the agency's handling time, or the response date when it comes first.",
    )

    def action_assign(self):
        self.ensure_one()
        if not (self.user_id or self.unit):
            raise UserError(self.env._("Choose a handler or a handling unit."))
        if self.days < 0:
            raise UserError(self.env._("The number of working days cannot be negative."))
        self.document_id.check_access("write")
        self.document_id.sudo()._assign(self.user_id, self.unit, self.days)
        return {"type": "ir.actions.act_window_close"}
