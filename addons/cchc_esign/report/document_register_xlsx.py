from odoo import models

from cchc_core import workbooks


class DocumentRegisterXlsx(models.AbstractModel):
    _name = "report.cchc_esign.document_register_xlsx"
    _inherit = "report.cchc_base.xlsx_abstract"
    _description = "Document register (XLSX)"

    def _write_record(self, workbook, register):
        """The register as printed: the documents the user may read, by number."""
        if register.direction == "in":
            return self._write_incoming(workbook, register)
        docs = self.env["cchc.document"].search([("register_id", "=", register.id)], order="number")
        rows = [
            workbooks.RegisterRow(
                code=doc.code or "",
                date=doc.issue_date.strftime("%d/%m/%Y"),
                subject=f"{doc.type_id.name}: {doc.name}",
                signer=doc.signer_id.name or "",
                recipients="; ".join(doc.recipient_agency_ids.mapped("name"))
                or (doc.recipients_text or ""),
                keeper=doc.drafting_unit or "",
            )
            for doc in docs
        ]
        title = self.env._("Register of outgoing documents").upper()
        workbooks.document_register(workbook, title, register.name, rows)

    def _write_incoming(self, workbook, register):
        docs = self.env["cchc.document"].search(
            [("incoming_register_id", "=", register.id)], order="incoming_number"
        )
        rows = [
            workbooks.RegisterRow(
                code=f"{doc.incoming_number} ({doc.code or doc.notation or ''})",
                date=doc.received_date.strftime("%d/%m/%Y"),
                subject=f"{doc.type_id.name}: {doc.name}",
                signer=doc.agency_id.name or "",
                recipients=doc.receiving_agency_id.name or "",
            )
            for doc in docs
        ]
        title = self.env._("Register of incoming documents").upper()
        workbooks.document_register(workbook, title, register.name, rows)
