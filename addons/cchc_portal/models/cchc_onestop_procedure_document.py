from odoo import fields, models


class CchcOnestopProcedureDocument(models.Model):
    _inherit = "cchc.onestop.procedure.document"

    form_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Form to download",
        ondelete="set null",
        help="The blank form (tờ khai, mẫu đơn) the applicant fills in, downloadable from the "
        "procedure's public page.",
    )
