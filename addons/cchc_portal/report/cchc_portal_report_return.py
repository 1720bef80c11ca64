from odoo import api, models


class ReportCchcPortalReturn(models.AbstractModel):
    """The return slip, printed as the receipt slip is: one per dossier, in its language."""

    _name = "report.cchc_portal.report_return"
    _inherit = "report.cchc_onestop.report_receipt"
    _description = "Return slip"

    @api.model
    def _slip(self, doc):
        return {
            "result": doc._selection_label(doc, "result"),
            "returned": doc._format_moment(doc.returned_datetime),
            "rating_url": doc._portal_rating_url(),
        }
