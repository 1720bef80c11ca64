import base64

from odoo import Command
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_esign.tests.test_document import b64, one_page_pdf
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_exchange import ExchangeFixtures


@tagged("post_install", "-at_install")
class TestExchangeOverRpc(ExchangeFixtures, RpcCase):
    """What the exchange's own code writes, refused to clients over JSON-RPC, with and without
    the context keys that used to be guards."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()
        with trap_jobs() as trap:
            doc = cls._issued_document_cls(recipient_agency_ids=[Command.set(cls.other_agency.ids)])
            cls._perform_trapped(trap)
        cls.doc = doc
        cls.incoming = cls.env["cchc.document"].search(
            [("direction", "=", "in"), ("edxml_document_id", "=", doc.edxml_document_id)]
        )
        cls.entry = cls.env["cchc.exchange.message"].search(
            [("document_id", "=", doc.id), ("direction", "=", "out"), ("kind", "=", "document")]
        )

    def test_setup_delivered(self):
        self.assertEqual(self.incoming.state, "registered")
        self.assertEqual(self.doc.dispatch_ids.state, "03")

    def test_message_log_is_not_writable(self):
        self.rpc_login(self.clerk)
        for context in (None, OLD_GUARD_KEYS):
            for vals in (
                {"transport_state": "failed"},
                {"package_sha256": "0" * 64},
                {"last_error": "forged"},
            ):
                self.assertRpcRefused(
                    "cchc.exchange.message", "write", [[self.entry.id], vals], context=context
                )
            self.assertRpcRefused(
                "cchc.exchange.message", "unlink", [[self.entry.id]], context=context
            )
            self.assertRpcRefused(
                "cchc.exchange.message",
                "create",
                [{"direction": "in", "kind": "document", "result": "accepted"}],
                context=context,
            )
            # The delivery and the receipt are server code, not callable over RPC.
            self.assertRpcRefused("cchc.exchange.message", "_deliver", [[self.entry.id]])
            self.assertRpcRefused(
                "cchc.exchange.message",
                "_receive",
                [base64.b64encode(b"<x/>").decode(), False],
                context=context,
            )
        self.entry.invalidate_recordset()
        self.assertEqual(self.entry.transport_state, "delivered")
        self.assertTrue(self.env["cchc.exchange.message"].verify_chain().ok)

    def test_dispatch_and_received_document_are_not_writable(self):
        self.rpc_login(self.clerk)
        dispatch = self.doc.dispatch_ids
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                "cchc.document.dispatch", "write", [dispatch.ids, {"state": "06"}], context=context
            )
            # Not failed: nothing to send again.
            self.assertRpcRefused(
                "cchc.document.dispatch", "action_send_again", [dispatch.ids], context=context
            )
        self.rpc_login(self.clerk_b)
        for context in (None, OLD_GUARD_KEYS):
            for vals in (
                {"handling_state": "completed"},
                {"edxml_document_id": "forged"},
                {"origin_code": "99/QĐ-X"},
                {"pdf": b64(one_page_pdf("giả mạo")).decode()},
            ):
                message = self.assertRpcRefused(
                    "cchc.document", "write", [self.incoming.ids, vals], context=context
                )
                self.assertTrue(message)
        self.incoming.invalidate_recordset()
        self.assertEqual(self.incoming.handling_state, "registered")
        self.assertEqual(dispatch.state, "03")
        # The clerk registers; the receiving agency's leader assigns.
        self.assertRpcRefused(
            "cchc.document.assign",
            "create",
            [{"document_id": self.incoming.id, "user_id": self.handler_b.id}],
            error="AccessError",
        )
