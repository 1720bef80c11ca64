import base64
import binascii

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

    @http.route("/cchc_esign/document/<int:doc_id>/external/prepare", type="json", auth="user")
    def external_prepare(self, doc_id, certificate_id):
        """For a USB token: prepare the PDF and return the SHA-256 digest to sign."""
        doc = request.env["cchc.document"].browse(doc_id)
        certificate = request.env["cchc.certificate"].browse(int(certificate_id))
        return doc._prepare_external_signature(certificate)

    @http.route("/cchc_esign/document/<int:doc_id>/external/finish", type="json", auth="user")
    def external_finish(self, doc_id, cms):
        """The CMS (base64) the token made over the digest: embedded, verified, stored."""
        try:
            cms_bytes = base64.b64decode(cms, validate=True)
        except (binascii.Error, TypeError):
            raise UserError(
                request.env._("The signature sent by the token is not base64.")
            ) from None
        doc = request.env["cchc.document"].browse(doc_id)
        doc._finish_external_signature(cms_bytes)
        return {"state": doc.state, "verdict": doc.verdict}
