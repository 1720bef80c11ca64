from odoo import api, models


class ReportCchcOnestopReceipt(models.AbstractModel):
    """The receipt slip also prints the tracking address (and its QR code) of the portal."""

    _inherit = "report.cchc_onestop.report_receipt"

    @api.model
    def _slip(self, doc):
        slip = super()._slip(doc)
        slip["track_url"] = doc._portal_track_url()
        return slip
