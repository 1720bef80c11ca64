import base64
import io
import zipfile

from odoo import Command
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_base.tools.protect import unlocked
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
                {"signer_name": "Người ký giả"},
                {"signer_competence": "KT. GIÁM ĐỐC"},
                {"pdf": b64(one_page_pdf("giả mạo")).decode()},
            ):
                message = self.assertRpcRefused(
                    "cchc.document", "write", [self.incoming.ids, vals], context=context
                )
                self.assertTrue(message)
        self.incoming.invalidate_recordset()
        self.assertEqual(self.incoming.handling_state, "registered")
        self.assertNotEqual(self.incoming.signer_competence, "KT. GIÁM ĐỐC")
        self.assertNotEqual(self.incoming.signer_name, "Người ký giả")
        self.assertEqual(dispatch.state, "03")
        # The clerk registers; the receiving agency's leader assigns.
        self.assertRpcRefused(
            "cchc.document.assign",
            "create",
            [{"document_id": self.incoming.id, "user_id": self.handler_b.id}],
            error="AccessError",
        )

    # ------------------------------------------------------------------ the buttons' rules

    def _trace(self):
        """What a send or a recall writes: dispatches, the log, jobs and the chatter."""
        self.env.invalidate_all()
        doc = self.doc.sudo()
        return {
            "dispatches": doc.dispatch_ids.read(["recipient_agency_id", "state", "state_date"]),
            "log": self.env["cchc.exchange.message"].sudo().search_count([]),
            "jobs": self.env["queue.job"].sudo().search_count([]),
            "chatter": len(doc.message_ids),
        }

    def test_send_and_recall_are_the_issuing_agencys_clerks(self):
        """The buttons are the clerk's (``groups``); the methods refuse everyone else who may
        read the document, before anything is written, whatever the context says."""
        before = self._trace()
        for user in (self.drafter, self.leader, self.clerk_b):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                for method in ("action_send_electronically", "action_recall"):
                    with self.subTest(user=user.login, method=method, context=bool(context)):
                        self.assertRpcRefused(
                            "cchc.document",
                            method,
                            [self.doc.ids],
                            context=context,
                            error="AccessError",
                        )
        self.assertEqual(self._trace(), before)
        # The clerk passes the role check: sent to every recipient already, recalled.
        self.rpc_login(self.clerk)
        message = self.assertRpcRefused(
            "cchc.document", "action_send_electronically", [self.doc.ids], error="UserError"
        )
        self.assertIn("already sent", message)
        self.assertRpcOk("cchc.document", "action_recall", [self.doc.ids])
        self.doc.dispatch_ids.invalidate_recordset()
        self.assertEqual(self.doc.dispatch_ids.state, "13")

    def test_a_received_document_is_neither_sent_nor_recalled(self):
        """The receiving clerk may act on his agency's copy, but not as its sender."""
        self.rpc_login(self.clerk_b)
        for method in ("action_send_electronically", "action_recall"):
            self.assertRpcRefused("cchc.document", method, [self.incoming.ids])
        self.assertFalse(self.incoming.sudo().dispatch_ids)

    def test_new_shared_secret_is_the_system_administrators(self):
        token = self.partner.sudo().secret_encrypted
        for user in (self.clerk, self.leader_b):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused(
                    "cchc.exchange.partner",
                    "action_new_secret",
                    [self.partner.ids],
                    context=context,
                    error="AccessError",
                )
        self.partner.invalidate_recordset()
        self.assertEqual(self.partner.sudo().secret_encrypted, token)
        self.authenticate("admin", "admin")
        self.assertRpcOk("cchc.exchange.partner", "action_new_secret", [self.partner.ids])
        self.partner.invalidate_recordset()
        self.assertNotEqual(self.partner.sudo().secret_encrypted, token)

    def test_only_who_reads_the_log_learns_its_state(self):
        self.rpc_login(self.drafter)
        self.assertRpcRefused(
            "cchc.exchange.message", "action_verify_chain", [[]], error="AccessError"
        )
        self.rpc_login(self.clerk)
        action = self.assertRpcOk("cchc.exchange.message", "action_verify_chain", [[]])
        self.assertEqual(action["params"]["type"], "success")

    def test_exchange_fields_not_set_through_client_defaults(self):
        """``default_<field>`` context keys and personal ``ir.default`` values fill a create
        like typed values: the exchange's fields are refused from them too."""
        Document = self.env["cchc.document"].sudo()
        count = Document.search_count([])
        base = {"name": "Văn bản giả", "type_id": self.decision.id, "agency_id": self.agency.id}
        self.rpc_login(self.drafter)
        for name, value in (
            ("handling_state", "completed"),
            ("edxml_document_id", "T01,2026/01/01,1/QĐ-UBND"),
            ("origin_code", "99/QĐ-X"),
        ):
            with self.subTest(field=name):
                self.assertRpcRefused(
                    "cchc.document", "create", [base], context={f"default_{name}": value}
                )
        self.assertRpcOk("ir.default", "set", ["cchc.document", "origin_code", "99/QĐ-X", True])
        self.assertRpcRefused("cchc.document", "create", [base])
        self.assertEqual(Document.search_count([]), count)

    def test_clerk_sends_again_after_a_failed_delivery(self):
        """The failed delivery is replaced by a new one (users cannot delete dispatches: the
        action does it for the clerk once it has checked him)."""
        failed = self.doc.dispatch_ids
        with unlocked(failed):
            failed.sudo().write({"state": "failed"})
        self.rpc_login(self.clerk)
        self.assertRpcOk("cchc.document", "action_send_electronically", [self.doc.ids])
        self.doc.invalidate_recordset()
        self.assertFalse(failed.exists())
        self.assertEqual(self.doc.dispatch_ids.recipient_agency_id, self.other_agency)
        self.assertEqual(self.doc.dispatch_ids.state, "queued")

    def test_zip_import_is_the_clerks_and_writes_only_what_verifies(self):
        """A ZIP of packages over JSON-RPC as the web client sends it: an officer may not import
        at all; a clerk gets one document for the package that verifies, none for the tampered
        one, and the answer names it; the wizard's private receiving is not callable."""
        good = self._package_from("E01", "T02", document_id="E01,2026/12/05,31/QĐ-UBND")
        tampered = self._package_from(
            "E01", "T02", document_id="E01,2026/12/05,32/QĐ-UBND"
        ).replace("phối hợp".encode(), "phối kết hợp".encode())
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("01.edxml", good)
            out.writestr("02.edxml", tampered)
        vals = {"package": b64(archive.getvalue()).decode(), "partner_id": self.partner.id}
        received = [("direction", "=", "in"), ("edxml_sender_organ", "=", "E01")]
        self.rpc_login(self.handler_b)
        self.assertRpcRefused("cchc.edxml.import", "create", [vals], error="AccessError")
        self.rpc_login(self.clerk_b)
        self.assertRpcRefused(
            "cchc.exchange.message",
            "_receive_many",
            [[base64.b64encode(good).decode()], self.partner.id],
        )
        self.assertEqual(self.env["cchc.document"].search_count(received), 0)
        wizard = self.assertRpcOk("cchc.edxml.import", "create", [vals])
        action = self.assertRpcOk("cchc.edxml.import", "action_import", [[wizard]])
        self.assertEqual(action["params"]["type"], "danger")
        self.assertIn("02.edxml", action["params"]["message"])
        documents = self.env["cchc.document"].search(received)
        self.assertEqual(documents.mapped("edxml_document_id"), ["E01,2026/12/05,31/QĐ-UBND"])
        self.assertEqual(documents.state, "registered")
