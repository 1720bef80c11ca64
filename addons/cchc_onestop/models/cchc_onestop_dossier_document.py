from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.cchc_base.tools.protect import is_unlocked


class CchcOnestopDossierDocument(models.Model):
    """A line of the dossier's checklist: the document, whether it is there, its scan."""

    _name = "cchc.onestop.dossier.document"
    _description = "Document of a dossier"
    _order = "dossier_id, sequence, id"

    dossier_id = fields.Many2one(
        "cchc.onestop.dossier", required=True, ondelete="cascade", index=True
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Document", required=True)
    required = fields.Boolean(readonly=True)
    copies = fields.Integer(default=1)
    provided = fields.Boolean()
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "cchc_onestop_dossier_document_attachment_rel",
        "document_id",
        "attachment_id",
        string="Files",
    )
    digitised = fields.Boolean(
        compute="_compute_digitised",
        store=True,
        readonly=False,
        # In the lines' INSERT (and so the dossier's is_digitised in the dossier's).
        precompute=True,
        help="An electronic copy exists: ticked when a file is attached.",
    )
    procedure_document_id = fields.Many2one(
        "cchc.onestop.procedure.document", readonly=True, ondelete="set null"
    )
    note = fields.Char()

    @api.depends("attachment_ids")
    def _compute_digitised(self):
        for line in self:
            line.digitised = bool(line.attachment_ids) or line.digitised

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._adopt_attachments()
        return lines

    def write(self, vals):
        if not is_unlocked(self):
            self._check_line_write(vals)
        res = super().write(vals)
        if "attachment_ids" in vals:
            self._adopt_attachments()
        return res

    def _adopt_attachments(self):
        """Scans uploaded on a line not saved yet belong to no record (res_id 0), so only their
        uploader could open them: they become the dossier's, readable by whoever may read
        the dossier and by nobody else. Only the user's own uploads are adopted: linking
        somebody else's loose file must not open it to the dossier's readers."""
        for line in self:
            line.dossier_id._adopt(line.attachment_ids)

    def _check_line_write(self, vals):
        received = self.filtered(lambda d: d.dossier_id.state != "draft")
        if "dossier_id" in vals and received:
            raise AccessError(
                self.env._("A document of a received dossier cannot move to another one.")
            )
        if {"required", "name"} & set(vals) and received.filtered("required"):
            raise UserError(
                self.env._("The required documents of a received dossier cannot change.")
            )
