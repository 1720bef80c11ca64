from odoo import fields, models


class CchcDocumentRevoke(models.TransientModel):
    """Revoke an issued document with a reason (Nghị định 30/2020): the original stays."""

    _name = "cchc.document.revoke"
    _description = "Revoke a document"

    document_id = fields.Many2one("cchc.document", required=True, readonly=True)
    reason = fields.Text(required=True)

    def action_revoke(self):
        self.ensure_one()
        self.document_id.action_revoke(self.reason)
        return {"type": "ir.actions.act_window_close"}
