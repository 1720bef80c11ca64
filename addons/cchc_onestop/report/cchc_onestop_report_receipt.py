from odoo import api, models


class ReportCchcOnestopReceipt(models.AbstractModel):
    """The receipt and appointment slip: what it prints of each dossier, written as the form
    writes it, in the language the slip is printed in (Vietnamese whenever installed)."""

    _name = "report.cchc_onestop.report_receipt"
    _description = "Receipt and appointment slip"

    @api.model
    def _get_report_values(self, docids, data=None):
        docs = self.env["cchc.onestop.dossier"].browse(docids)
        return {
            "doc_ids": docs.ids,
            "doc_model": docs._name,
            "docs": docs,
            "slips": {
                doc.id: self._slip(doc.with_context(lang=doc._report_lang())) for doc in docs
            },
        }

    @api.model
    def _slip(self, doc):
        """The texts of ``doc``'s slip, in the language of ``doc``'s context."""
        chain = doc.chain_appointment_datetime
        return {
            "limit": self._format_limit(doc),
            "received": doc._format_moment(doc.received_datetime),
            "counted_from": doc._format_moment(doc.effective_received_datetime)
            if doc.effective_received_datetime != doc.received_datetime
            else "",
            "appointment": doc._format_moment(doc.appointment_datetime),
            "chain_appointment": doc._format_moment(chain)
            if chain and chain != doc.appointment_datetime
            else "",
            "return_place": doc._format_return_place(),
        }

    @api.model
    def _format_limit(self, doc):
        """The processing time set by law: '5 working days', '8 working hours'."""
        amount = "%g" % doc.time_limit
        if doc.time_unit == "hour":
            return doc.env._("%(amount)s working hours", amount=amount)
        if not doc.time_limit:
            return doc.env._("the same working day")
        return doc.env._("%(amount)s working days", amount=amount)
