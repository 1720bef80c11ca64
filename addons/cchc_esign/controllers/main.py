from odoo import http
from odoo.exceptions import UserError
from odoo.http import content_disposition, request


class CchcEsignController(http.Controller):
    @http.route("/cchc_esign/document/<int:doc_id>/pdf", type="http", auth="user")
    def document_pdf(self, doc_id):
        """The document's PDF, only if it still matches the hash stored when it was signed."""
        doc = request.env["cchc.document"].browse(doc_id).exists()
        if not doc or not doc.pdf:
            raise request.not_found()
        doc.check_access("read")
        try:
            data = doc._pdf_checked()
        except UserError as exc:
            return request.make_response(
                str(exc), status=409, headers=[("Content-Type", "text/plain; charset=utf-8")]
            )
        filename = doc.pdf_name or f"{doc.code or doc.name}.pdf".replace("/", "-")
        return request.make_response(
            data,
            headers=[
                ("Content-Type", "application/pdf"),
                ("Content-Disposition", content_disposition(filename)),
            ],
        )
