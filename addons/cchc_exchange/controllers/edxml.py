import hashlib
import hmac
import io
import logging

from odoo import SUPERUSER_ID, http
from odoo.exceptions import UserError
from odoo.http import request

from ..tools.exchange_common import MAX_REQUEST_BYTES, json_answer

_logger = logging.getLogger(__name__)

CHUNK = 64 * 1024


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
        """A partner posts one edXML package (see README: cchc_exchange).

        In this order, so that no stranger makes the server read or keep a large body: the
        declared length, then the partner's signature over the headers (the body's SHA-256 is
        one of them), then the body, read in chunks up to the limit and checked against the
        signed hash."""
        httprequest = request.httprequest
        length = httprequest.content_length
        if length is None or length > MAX_REQUEST_BYTES:
            return self._answer(413, {"result": "refused", "reason": "request too large"})
        if httprequest.mimetype not in ("application/xml", "text/xml", "application/octet-stream"):
            return self._answer(415, {"result": "refused", "reason": "not an XML request"})
        # No session: the system user acts; the partner is authenticated by its signature.
        request.update_env(user=SUPERUSER_ID)
        Message = request.env["cchc.exchange.message"]
        try:
            partner, refusal = Message._authenticate(httprequest.headers)
        except UserError as exc:
            # No cchc_secret_key on this server: said in its log, not to the caller.
            _logger.error("edXML request not authenticated: %s", exc)
            return self._answer(503, {"result": "error", "reason": "exchange not configured"})
        if refusal:
            _logger.info(
                "edXML request refused before its body: %s (partner %r, %s bytes declared)",
                refusal[1]["reason"],
                httprequest.headers.get("X-CCHC-Partner"),
                length,
            )
            return self._answer(*refusal)
        # Odoo's request wrapper offers only get_data() (the whole body at once); the werkzeug
        # request under it gives the socket stream, bounded by Content-Length, to read in
        # chunks up to the limit.
        wrapped = getattr(httprequest, "_HTTPRequest__wrapped", None)
        if wrapped is None:
            body = self._read_body(io.BytesIO(httprequest.get_data()), length)
        elif "cchc_edxml_body" in wrapped.environ:
            # Odoo runs the request again after a serialization failure: the stream is read.
            body = wrapped.environ["cchc_edxml_body"]
        else:
            body = wrapped.environ["cchc_edxml_body"] = self._read_body(wrapped.stream, length)
        if body is None:
            return self._answer(413, {"result": "refused", "reason": "request too large"})
        declared = (httprequest.headers.get("X-CCHC-Content-SHA256") or "").lower()
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), declared):
            return self._answer(401, {"result": "refused", "reason": "body does not match"})
        answer = Message._receive(body, partner=partner)
        return self._answer(422 if answer["result"] == "refused" else 200, answer)

    @staticmethod
    def _read_body(stream, length):
        """The body, or None when it is longer than it said or than the limit."""
        cap = min(length, MAX_REQUEST_BYTES)
        chunks = []
        size = 0
        while True:
            chunk = stream.read(min(CHUNK, cap + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            if size > cap:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def _answer(self, status, answer):
        return request.make_response(
            json_answer(answer),
            status=status,
            headers=[("Content-Type", "application/json; charset=utf-8")],
        )
