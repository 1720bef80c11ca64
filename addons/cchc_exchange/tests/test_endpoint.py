import base64
import hashlib
import secrets
import socket
import time
from unittest.mock import patch

from odoo.tests import HttpCase, tagged
from odoo.tools import config

from ..tools.exchange_common import MAX_REQUEST_BYTES, REFUSED_KEEP_BYTES, request_headers
from .test_exchange import ExchangeFixtures


@tagged("post_install", "-at_install")
class TestExchangeEndpoint(ExchangeFixtures, HttpCase):
    """The HTTP endpoint: partner authentication before the body, size limits, replay window,
    duplicates, bounded storage of refused packages."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()

    def _post(self, body, *, secret="s3cret", timestamp=None, nonce=None, partner="BAN"):
        headers = request_headers(
            partner,
            secret,
            str(timestamp or int(time.time())),
            nonce or secrets.token_hex(16),
            body,
        )
        return self.url_open("/cchc_esign/edxml", data=body, headers=headers)

    def _raw_request(self, headers, sent_body, timeout=20):
        """Send the request line, the headers and only ``sent_body``; return the status line
        the server answers while the rest of the declared body was never sent."""
        port = int(config["http_port"])
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            lines = ["POST /cchc_esign/edxml HTTP/1.1", f"Host: 127.0.0.1:{port}"]
            lines += [f"{name}: {value}" for name, value in headers.items()]
            sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + sent_body)
            started = time.monotonic()
            answer = sock.recv(4096)
            return answer.split(b"\r\n", 1)[0].decode(), answer, time.monotonic() - started

    def test_endpoint(self):
        package = self._package_from("E01", "T02")
        self.assertEqual(self._post(package, secret="wrong").status_code, 401)
        self.assertEqual(self._post(package, partner="NOBODY").status_code, 401)
        old = int(time.time()) - 3600
        self.assertEqual(self._post(package, timestamp=old).status_code, 403)
        response = self._post(package, nonce="n-1")
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.json()["result"], "accepted")
        incoming = self.env["cchc.document"].search([("edxml_sender_organ", "=", "E01")])
        self.assertEqual(incoming.state, "registered")
        self.assertEqual(incoming.exchange_partner_id, self.partner)
        # The same request again: a replay.
        self.assertEqual(self._post(package, nonce="n-1").status_code, 403)
        # The same package in a new request: acknowledged, not registered twice.
        response = self._post(package, nonce="n-2")
        self.assertEqual(response.json()["result"], "duplicate")
        self.assertEqual(
            self.env["cchc.document"].search_count([("edxml_sender_organ", "=", "E01")]), 1
        )
        # Statuses 01 and 03 wait, each as its own job on the partner's channel.
        queued = self.env["cchc.exchange.message"].search(
            [("partner_id", "=", self.partner.id), ("kind", "=", "status")]
        )
        self.assertEqual(sorted(queued.mapped("status_code")), ["01", "03"])
        self.assertEqual(set(queued.mapped("transport_state")), {"queued"})
        jobs = self.env["queue.job"].search([("uuid", "in", queued.mapped("job_uuid"))])
        self.assertEqual(len(jobs), 2)
        self.assertEqual(set(jobs.mapped("channel")), {"root.cchc_exchange.BAN"})

    def test_body_must_match_its_signed_hash(self):
        package = self._package_from("E01", "T02")
        headers = request_headers("BAN", "s3cret", str(int(time.time())), "n-x", package)
        other = package + b"\n"
        response = self.url_open("/cchc_esign/edxml", data=other, headers=headers)
        self.assertEqual(response.status_code, 401)
        self.assertFalse(self.env["cchc.document"].search([("direction", "=", "in")]))

    def test_unauthenticated_60_mb_is_refused_before_its_body_is_read(self):
        """The headers announce 60 MB; 10 bytes follow. The server answers at once: it never
        waits for (never reads) the body."""
        declared = str(MAX_REQUEST_BYTES)
        headers = {
            "Content-Type": "application/xml",
            "Content-Length": declared,
            "X-CCHC-Partner": "BAN",
            "X-CCHC-Timestamp": str(int(time.time())),
            "X-CCHC-Nonce": "n-big",
            "X-CCHC-Content-SHA256": hashlib.sha256(b"x").hexdigest(),
            "X-CCHC-Signature": "0" * 64,
        }
        status, answer, waited = self._raw_request(headers, b"<edXML/>xx")
        self.assertIn(" 401 ", status, answer)
        self.assertLess(waited, 15)
        # Larger than the limit: refused from Content-Length alone, whoever asks.
        headers["Content-Length"] = str(MAX_REQUEST_BYTES + 1)
        status, answer, _waited = self._raw_request(headers, b"<edXML/>xx")
        self.assertIn(" 413 ", status, answer)
        # No partner at all.
        del headers["X-CCHC-Partner"]
        headers["Content-Length"] = declared
        status, answer, _waited = self._raw_request(headers, b"<edXML/>xx")
        self.assertIn(" 401 ", status, answer)
        self.assertFalse(self.env["cchc.exchange.message"].search([]))

    def test_endpoint_refuses_bad_packages(self):
        for body in (b"<not xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'):
            response = self._post(body)
            self.assertEqual(response.status_code, 422, body)
            self.assertEqual(response.json()["result"], "refused")
        self.assertFalse(self.env["cchc.document"].search([("direction", "=", "in")]))

    def test_refused_packages_are_kept_bounded_and_counted(self):
        junk = b"<edXMLEnvelope>" + b"x" * (2 * 1024 * 1024) + b"</edXMLEnvelope>"
        response = self._post(junk)
        self.assertEqual(response.status_code, 422)
        entry = self.env["cchc.exchange.message"].search([("result", "=", "refused")])
        self.assertEqual(len(entry), 1)
        self.assertTrue(entry.package_truncated)
        self.assertEqual(entry.package_size, len(junk))
        self.assertEqual(entry.package_sha256, hashlib.sha256(junk).hexdigest())
        self.assertLessEqual(len(base64.b64decode(entry.package)), REFUSED_KEEP_BYTES)
        self.assertTrue(self.env["cchc.exchange.message"].verify_chain().ok)
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.refused_count, 1)
        # Beyond the daily number kept per partner, a refused package is only counted.
        with patch("odoo.addons.cchc_exchange.models.cchc_exchange_message.REFUSED_LOG_PER_DAY", 2):
            for _ in range(3):
                self.assertEqual(self._post(junk[:5000]).status_code, 422)
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.refused_count, 4)
        self.assertEqual(self.partner.refused_unlogged, 2)
        self.assertEqual(
            self.env["cchc.exchange.message"].search_count([("result", "=", "refused")]), 2
        )
        # No status went back for packages whose sender is not proven.
        self.assertFalse(
            self.env["cchc.exchange.message"].search([("direction", "=", "out")]),
        )
