from odoo import api, fields, models
from odoo.exceptions import UserError


class CchcDocumentSign(models.TransientModel):
    """Sign (leader) or issue with the seal (clerk). The passphrase is never stored.

    Saving the wizard keeps the choices (document, mode, certificate); ``action_sign`` signs.
    The passphrase is a field that is not stored: the dialog saves the wizard, reads it back in
    the same request (``create`` and ``write`` keep the typed value in the record's cache for
    that answer, nowhere else) and its button hands the value to ``action_sign`` in the context
    ``cchc_passphrase``, so it is never written anywhere and works whichever worker answers. A
    wrong passphrase is a translated error: the dialog stays open with the same wizard, nothing
    signed, and the leader types it again. From code, call ``action_sign`` with the passphrase
    in that context.
    """

    _name = "cchc.document.sign"
    _description = "Sign a document"

    document_id = fields.Many2one("cchc.document", required=True, readonly=True)
    mode = fields.Selection(
        [("leader", "Sign"), ("seal", "Issue with the agency signature")],
        required=True,
        readonly=True,
    )
    certificate_id = fields.Many2one(
        "cchc.certificate", required=True, domain="[('id', 'in', allowed_certificate_ids)]"
    )
    allowed_certificate_ids = fields.Many2many(
        "cchc.certificate", compute="_compute_allowed_certificate_ids"
    )
    passphrase = fields.Char(store=False)
    done = fields.Boolean(readonly=True)

    @api.depends("mode", "document_id")
    def _compute_allowed_certificate_ids(self):
        Certificate = self.env["cchc.certificate"]
        for wizard in self:
            if wizard.mode == "seal":
                domain = [
                    ("owner", "=", "agency"),
                    ("agency_id", "=", wizard.document_id.agency_id.id),
                ]
            else:
                domain = [("owner", "=", "user"), ("user_id", "=", self.env.uid)]
            wizard.allowed_certificate_ids = Certificate.search(domain)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("mode") and values.get("document_id") and "certificate_id" in fields_list:
            wizard = self.new(values)
            values["certificate_id"] = wizard.allowed_certificate_ids[:1]._origin.id
        return values

    @api.model_create_multi
    def create(self, vals_list):
        wizards = super().create(vals_list)
        # A field that is not stored is dropped by create (write keeps it in the cache): keep
        # what was typed for the dialog's reading back, or its button would hand over nothing.
        for wizard, vals in zip(wizards, vals_list, strict=True):
            if vals.get("passphrase"):
                wizard.passphrase = vals["passphrase"]
        return wizards

    def action_sign(self):
        self.ensure_one()
        if not self.done:
            self._sign(self.env.context.get("cchc_passphrase"))
        return {"type": "ir.actions.act_window_close"}

    def _sign(self, passphrase):
        if not passphrase:
            raise UserError(self.env._("Type the passphrase of the key."))
        if self.mode == "leader":
            self.document_id._sign_as_leader(self.certificate_id, passphrase)
        else:
            self.document_id._issue_with_seal(self.certificate_id, passphrase)
        self.done = True
