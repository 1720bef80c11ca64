from odoo import fields, models


class CchcDocumentSignature(models.Model):
    """Who signed a document, with which certificate: written once, by the signing itself."""

    _name = "cchc.document.signature"
    _description = "Signature of a document"
    _inherit = ["cchc.protected.mixin"]
    _order = "signed_on"
    _cchc_protected_fields = frozenset(
        {"document_id", "role", "certificate_id", "user_id", "signed_on"}
    )

    document_id = fields.Many2one("cchc.document", required=True, ondelete="cascade", index=True)
    role = fields.Selection(
        [("leader", "Competent person"), ("seal", "Agency (seal)")], required=True
    )
    certificate_id = fields.Many2one("cchc.certificate", required=True)
    user_id = fields.Many2one("res.users", string="Signed by")
    signed_on = fields.Datetime()

    def _cchc_is_frozen(self):
        return True

    def _cchc_protection_hint(self):
        return self.env._("A signature is recorded by the signing itself and never changes.")

    def _cchc_frozen_hint(self):
        return self._cchc_protection_hint()
