from odoo import api, fields, models
from odoo.exceptions import UserError


class CchcDocumentAssign(models.TransientModel):
    """The receiving agency's leader gives a received document to a unit and/or an officer,
    with a deadline in working days."""

    _name = "cchc.document.assign"
    _description = "Assign an incoming document"

    document_id = fields.Many2one("cchc.document", required=True)
    receiving_agency_id = fields.Many2one(
        related="document_id.receiving_agency_id", string="Receiving agency"
    )
    user_id = fields.Many2one(
        "res.users",
        string="Handler",
        domain="[('cchc_agency_id', 'child_of', receiving_agency_id), ('share', '=', False)]",
    )
    unit = fields.Char(string="Handling unit")
    days = fields.Integer(
        string="Working days",
        help="Empty: the agency's handling time, or the response date when it comes first.",
    )
    deadline = fields.Date(string="Handling deadline", compute="_compute_deadline")

    @api.depends("document_id", "days")
    def _compute_deadline(self):
        for wizard in self:
            doc = wizard.document_id
            wizard.deadline = (
                doc.sudo()._handling_deadline_for(wizard.days)
                if doc and wizard.days >= 0
                else False
            )

    def action_assign(self):
        self.ensure_one()
        if not (self.user_id or self.unit):
            raise UserError(self.env._("Choose a handler or a handling unit."))
        if self.days < 0:
            raise UserError(self.env._("The number of working days cannot be negative."))
        doc = self.document_id
        doc.check_access("write")
        doc._check_receiving_leader()
        agency = doc.receiving_agency_id.sudo()
        if self.user_id and self.user_id.sudo().cchc_agency_id not in agency.search(
            [("id", "child_of", agency.id)]
        ):
            raise UserError(
                self.env._(
                    "%(user)s does not work at %(agency)s.",
                    user=self.user_id.name,
                    agency=agency.name,
                )
            )
        doc.sudo()._assign(self.user_id, self.unit, self.days)
        return {"type": "ir.actions.act_window_close"}
