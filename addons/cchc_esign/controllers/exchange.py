from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..models.cchc_exchange import json_answer

# Larger requests are refused before they are read.
MAX_REQUEST_BYTES = 60 * 1024 * 1024


class CchcExchangeController(http.Controller):
    @http.route(
        "/cchc_esign/edxml",
        type="http",
        auth="none",
        methods=["POST"],
        csrf=False,
        save_session=False,
        readonly=False,
    )
    def receive(self):
        """A partner posts one edXML package (see README: Document exchange)."""
        length = request.httprequest.content_length
        if length is None or length > MAX_REQUEST_BYTES:
            return self._answer(413, {"result": "refused", "reason": "request too large"})
        body = request.httprequest.get_data()
        # No session: the system user acts; the partner is authenticated by its signature.
        request.update_env(user=SUPERUSER_ID)
        status, answer = request.env["cchc.exchange.message"]._http_receive(
            request.httprequest.headers, body
        )
        return self._answer(status, answer)

    def _answer(self, status, answer):
        return request.make_response(
            json_answer(answer),
            status=status,
            headers=[("Content-Type", "application/json; charset=utf-8")],
        )
