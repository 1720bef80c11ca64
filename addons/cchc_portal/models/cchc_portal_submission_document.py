from odoo import fields, models


class CchcPortalSubmissionDocument(models.Model):
    """One upload slot of an online application: a required document of the procedure."""

    _name = "cchc.portal.submission.document"
    _description = "Document of an online application"
    _order = "submission_id, sequence, id"

    submission_id = fields.Many2one(
        "cchc.portal.submission", required=True, ondelete="cascade", index=True
    )
    procedure_document_id = fields.Many2one(
        "cchc.onestop.procedure.document", required=True, ondelete="cascade"
    )
    sequence = fields.Integer(related="procedure_document_id.sequence")
    name = fields.Char(related="procedure_document_id.name")
    required = fields.Boolean(related="procedure_document_id.required")
    note = fields.Char(related="procedure_document_id.note")
    attachment_id = fields.Many2one("ir.attachment", string="File", ondelete="set null")

    def _dossier_document_vals(self):
        self.ensure_one()
        template = self.procedure_document_id
        return {
            "sequence": template.sequence,
            "name": template.name,
            "required": template.required,
            "copies": template.copies,
            "procedure_document_id": template.id,
            "provided": bool(self.attachment_id),
        }
