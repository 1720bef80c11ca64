from odoo import fields, models
from odoo.exceptions import UserError


class CchcDocumentComplete(models.TransientModel):
    """The officer (or the leader) closes the handling of a received document with its result."""

    _name = "cchc.document.complete"
    _description = "Close the handling of an incoming document"

    document_id = fields.Many2one("cchc.document", required=True)
    result = fields.Text(required=True, help="What was done, in a sentence or two.")

    def action_complete(self):
        self.ensure_one()
        if not (self.result or "").strip():
            raise UserError(self.env._("Write what was done."))
        doc = self.document_id
        doc.check_access("read")
        doc._check_handler_or_leader()
        doc.sudo()._complete_handling(self.result.strip())
        return {"type": "ir.actions.act_window_close"}
