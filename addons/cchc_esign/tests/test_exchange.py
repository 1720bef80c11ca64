import base64
import hashlib
import time
from datetime import date, datetime
from unittest.mock import patch

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, tagged
from odoo.tests.common import TransactionCase

from cchc_core import edxml

from ..models.cchc_exchange import request_signature
from .test_document import PASSPHRASE, SigningFixtures, b64, one_page_pdf


class ExchangeFixtures(SigningFixtures):
    """Agency T01 sends; T02 (this system) and E01 (another province, a partner) receive."""

    @classmethod
    def _setup_exchange(cls):
        cls._setup_signing()
        cls.key = cls.env["cchc.exchange.key"].create(
            {"code": "TEST", "pkcs12": b64(cls.pki.pkcs12("exchange")), "passphrase": PASSPHRASE}
        )
        cls.partner = cls.env["cchc.exchange.partner"].create(
            {
                "name": "Tỉnh Bạn",
                "code": "BAN",
                "url": "http://127.0.0.1:9/none",
                "secret": "s3cret",
            }
        )
        Agency = cls.env["cchc.agency"]
        cls.external = Agency.create(
            {"name": "UBND tỉnh Bạn", "identifier": "E01", "exchange_partner_id": cls.partner.id}
        )
        cls.clerk_b = cls._user("ex_clerk_b", "cchc_base.group_cchc_clerk", cls.other_agency)
        cls.handler_b = cls._user("ex_handler_b", "cchc_base.group_cchc_user", cls.other_agency)
        cls.Message = cls.env["cchc.exchange.message"]

    def _issued(self, recipients, **vals):
        doc = self._document(recipient_agency_ids=[(6, 0, recipients.ids)], **vals)
        doc.with_user(self.leader).sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        doc.with_user(self.clerk).issue_with_seal(self.certs["seal"], PASSPHRASE)
        return doc

    def _incoming(self, doc, agency=None):
        return self.env["cchc.document"].search(
            [
                ("direction", "=", "in"),
                ("edxml_document_id", "=", doc.edxml_document_id),
                ("receiving_agency_id", "=", (agency or self.other_agency).id),
            ]
        )

    def _package_from(self, sender, recipient, document_id="E01,2026/11/20,7/QĐ-UBND", **kw):
        """A package as another system would send it, signed with an exchange key."""
        doc = edxml.Document(
            sender=edxml.Organization(organ_id=sender, organ_name="UBND tỉnh Bạn"),
            recipients=(edxml.Organization(organ_id=recipient, organ_name="Sở Khác"),),
            document_id=document_id,
            code_number="07",
            code_notation="QĐ-UBND",
            place="Bạn",
            promulgation_date=date(2026, 11, 20),
            type_code=1,
            type_name="Quyết định",
            subject="Quyết định về việc phối hợp",
            signer_name="Nguyễn Văn An",
            attachments=(
                edxml.Attachment(
                    content_id="cid:1",
                    name="qd.pdf",
                    content_type="application/pdf",
                    data=kw.pop("pdf", None) or self._signed_pdf(),
                ),
            ),
            **kw,
        )
        return edxml.sign_document(doc, self.pki.signer("exchange"))

    def _signed_pdf(self):
        if not hasattr(type(self), "_pdf_cache"):
            doc = self._issued(self.env["cchc.agency"])
            type(self)._pdf_cache = doc._pdf_checked()
        return type(self)._pdf_cache


@tagged("post_install", "-at_install")
class TestExchangeInternal(ExchangeFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()

    def test_issue_delivers_to_each_recipient_inbox(self):
        third = self.env["cchc.agency"].create({"name": "Sở Thứ Ba", "identifier": "T03"})
        doc = self._issued(self.other_agency | third)
        self.assertEqual(len(doc.dispatch_ids), 2)
        for agency in (self.other_agency, third):
            incoming = self._incoming(doc, agency)
            self.assertEqual(len(incoming), 1, agency.name)
            self.assertEqual(incoming.state, "registered")
            self.assertEqual(incoming.handling_state, "registered")
            self.assertEqual(incoming.incoming_number, 1)
            self.assertEqual(incoming.received_date, date.today())
            self.assertEqual(incoming.origin_code, doc.code)
            self.assertEqual(incoming.verdict, "valid")
            self.assertEqual(incoming.pdf_sha256, hashlib.sha256(doc._pdf_checked()).hexdigest())
            self.assertEqual(incoming.agency_id, self.agency)
        # Statuses 01 and 03 came back: the sender sees "registered" per recipient.
        self.assertEqual(set(doc.dispatch_ids.mapped("state")), {"03"})
        statuses = self.Message.search(
            [("kind", "=", "status"), ("direction", "=", "in"), ("document_id", "=", doc.id)]
        )
        self.assertEqual(sorted(statuses.mapped("status_code")), ["01", "01", "03", "03"])
        self.assertTrue(self.Message.verify_chain().ok)

    def test_secret_document_is_not_sent(self):
        doc = self._issued(self.other_agency, confidentiality="secret")
        self.assertFalse(doc.dispatch_ids)
        self.assertFalse(self._incoming(doc))
        with self.assertRaisesRegex(UserError, "secret"):
            doc.action_send_electronically()

    def test_handling_statuses_flow_back_and_indicator(self):
        self.other_agency.incoming_handling_days = 3
        doc = self._issued(self.other_agency)
        incoming = self._incoming(doc)
        wizard = (
            self.env["cchc.document.assign"]
            .with_user(self.clerk_b)
            .create({"document_id": incoming.id, "user_id": self.handler_b.id})
        )
        wizard.action_assign()
        self.assertEqual(incoming.handling_state, "assigned")
        self.assertEqual(incoming.handler_id, self.handler_b)
        expected = self.env["cchc.holiday"].add_working_days(date.today(), 3)
        self.assertEqual(incoming.handling_deadline, expected)
        self.assertEqual(doc.dispatch_ids.state, "04")
        incoming.with_user(self.handler_b).action_start_processing()
        self.assertEqual(doc.dispatch_ids.state, "05")
        incoming.with_user(self.handler_b).action_complete_handling()
        self.assertEqual(doc.dispatch_ids.state, "06")
        rate = self.env["cchc.document"]._cchc_indicator_incoming_on_time_rate(
            self.other_agency, date.today(), expected
        )
        self.assertEqual(rate, {self.other_agency.id: 100.0})
        electronic = self.env["cchc.document"]._cchc_indicator_outgoing_electronic_rate(
            self.agency, date.today(), date.today()
        )
        self.assertEqual(electronic, {self.agency.id: 100.0})
        signed = self.env["cchc.document"]._cchc_indicator_outgoing_signed_rate(
            self.agency, date.today(), date.today()
        )
        self.assertEqual(signed, {self.agency.id: 100.0})

    def test_indicators_count_paper_and_late(self):
        self._issued(self.other_agency)
        paper = self._issued(self.env["cchc.agency"], recipients_text="- Như trên")
        self.assertFalse(paper.dispatch_ids)
        rate = self.env["cchc.document"]._cchc_indicator_outgoing_electronic_rate(
            self.agency, date.today(), date.today()
        )
        self.assertEqual(rate, {self.agency.id: 50.0})
        # Secret documents are left out of both shares.
        self._issued(self.other_agency, confidentiality="secret")
        rate = self.env["cchc.document"]._cchc_indicator_outgoing_electronic_rate(
            self.agency, date.today(), date.today()
        )
        self.assertEqual(rate, {self.agency.id: 50.0})

    def test_duplicate_is_acknowledged_not_registered_twice(self):
        doc = self._issued(self.other_agency)
        sent = self.Message.search(
            [("document_id", "=", doc.id), ("direction", "=", "out"), ("kind", "=", "document")]
        )
        package = base64.b64decode(sent.package)
        answer = self.Message._receive(package, partner=self.env["cchc.exchange.partner"])
        self.assertEqual(answer["result"], "duplicate")
        self.assertEqual(len(self._incoming(doc)), 1)
        self.assertEqual(self._incoming(doc).incoming_register_id.next_number, 2)

    def test_tampered_package_is_refused(self):
        doc = self._issued(self.other_agency)
        sent = self.Message.search(
            [("document_id", "=", doc.id), ("direction", "=", "out"), ("kind", "=", "document")]
        )
        package = base64.b64decode(sent.package)
        tampered = package.replace("Quyết định thử nghiệm".encode(), "Quyết định giả mạo".encode())
        self.assertNotEqual(tampered, package)
        count = self.env["cchc.document"].search_count([("direction", "=", "in")])
        answer = self.Message._receive(tampered, partner=self.env["cchc.exchange.partner"])
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(answer["status"], "02")
        self.assertEqual(self.env["cchc.document"].search_count([("direction", "=", "in")]), count)
        log = self.Message.search([("result", "=", "refused")], limit=1)
        self.assertEqual(log.reason, answer["reason"])
        self.assertTrue(self.Message.verify_chain().ok)

    def test_unsigned_pdf_in_a_signed_package_is_refused_with_status(self):
        package = self._package_from("T01", "T02", pdf=one_page_pdf())
        answer = self.Message._receive(package, partner=self.env["cchc.exchange.partner"])
        self.assertEqual(answer["result"], "refused")
        self.assertIn("qd.pdf", answer["reason"])
        refusal = self.Message.search(
            [("kind", "=", "status"), ("status_code", "=", "02"), ("direction", "=", "out")]
        )
        self.assertEqual(refusal.recipient_organ, "T01")
        self.assertFalse(self.env["cchc.document"].search([("edxml_sender_organ", "=", "T01")]))

    def test_unknown_identifier_and_wrong_recipient_are_refused(self):
        answer = self.Message._receive(
            self._package_from("Z99", "T02"), partner=self.env["cchc.exchange.partner"]
        )
        self.assertEqual(answer["result"], "refused")
        self.assertIn("Z99", answer["reason"])
        # Addressed to an agency of another system.
        answer = self.Message._receive(
            self._package_from("T01", "E01", document_id="x-2"),
            partner=self.env["cchc.exchange.partner"],
        )
        self.assertEqual(answer["result"], "refused")
        self.assertIn("E01", answer["reason"])
        # An external sender must come through its own partner.
        answer = self.Message._receive(
            self._package_from("E01", "T02", document_id="x-3"),
            partner=self.env["cchc.exchange.partner"],
        )
        self.assertEqual(answer["result"], "refused")
        self.assertFalse(self.env["cchc.document"].search([("direction", "=", "in")]))

    def test_replay_with_other_content_is_refused(self):
        first = self._package_from("E01", "T02")
        self.assertEqual(self.Message._receive(first, partner=self.partner)["result"], "accepted")
        other = self._package_from("E01", "T02", content="khác")
        answer = self.Message._receive(other, partner=self.partner)
        self.assertEqual(answer["result"], "refused")
        self.assertEqual(
            self.env["cchc.document"].search_count([("edxml_sender_organ", "=", "E01")]), 1
        )

    def test_recall(self):
        doc = self._issued(self.other_agency)
        doc.with_user(self.clerk).action_recall()
        self.assertEqual(self._incoming(doc).handling_state, "recalled")
        self.assertEqual(doc.dispatch_ids.state, "15")

    def test_replacement_and_revocation(self):
        old = self._issued(self.other_agency)
        new = self._issued(self.other_agency, business_type="3", supersedes_id=old.id)
        self.assertEqual(self._incoming(old).handling_state, "replaced")
        self.assertEqual(self._incoming(new).supersedes_id, self._incoming(old))
        revoking = self._issued(self.other_agency, business_type="1", supersedes_id=new.id)
        self.assertEqual(self._incoming(new).handling_state, "revoked")
        self.assertEqual(self._incoming(revoking).business_type, "1")

    def test_received_document_is_immutable_and_private(self):
        doc = self._issued(self.other_agency)
        incoming = self._incoming(doc).with_user(self.clerk_b)
        self.assertEqual(incoming.name, doc.name)
        with self.assertRaises(UserError):
            incoming.write({"pdf": b64(one_page_pdf("khác"))})
        stranger_agency = self.env["cchc.agency"].create({"name": "Sở Lạ", "identifier": "T09"})
        stranger = self._user("ex_stranger", "cchc_base.group_cchc_clerk", stranger_agency)
        with self.assertRaises(AccessError):
            self._incoming(doc).with_user(stranger).read(["name"])
        # The sender's clerk sees the statuses, not the recipient's register.
        self.assertEqual(doc.with_user(self.clerk).dispatch_ids.state, "03")
        with self.assertRaises(AccessError):
            self._incoming(doc).with_user(self.clerk).read(["incoming_number"])

    def test_file_export_and_import(self):
        doc = self._issued(self.external)
        action = doc.dispatch_ids.with_user(self.clerk).action_download_package()
        self.assertIn("/web/content/cchc.exchange.message/", action["url"])
        # A package of the partner's agency arrives on a medium: imported like a delivery.
        Import = self.env["cchc.edxml.import"].with_user(self.clerk_b)
        package = self._package_from("E01", "T02")
        wizard = Import.create({"package": b64(package), "partner_id": self.partner.id})
        self.assertEqual(wizard.action_import()["params"]["type"], "success")
        incoming = self.env["cchc.document"].search([("edxml_sender_organ", "=", "E01")])
        self.assertEqual(incoming.receiving_agency_id, self.other_agency)
        again = Import.create({"package": b64(package), "partner_id": self.partner.id})
        self.assertEqual(again.action_import()["params"]["type"], "warning")
        bad = Import.create({"package": b64(b"<edXMLEnvelope/>"), "partner_id": self.partner.id})
        self.assertEqual(bad.action_import()["params"]["type"], "danger")
        self.assertEqual(
            self.env["cchc.document"].search_count([("edxml_sender_organ", "=", "E01")]), 1
        )

    def test_business_type_needs_the_superseded_document(self):
        with self.assertRaises(ValidationError):
            self._document(business_type="3")

    def test_log_is_append_only_and_chained(self):
        self._issued(self.other_agency)
        entry = self.Message.search([], limit=1, order="sequence")
        with self.assertRaises(UserError):
            entry.write({"package_sha256": "0" * 64})
        with self.assertRaises(UserError):
            entry.unlink()
        self.assertTrue(self.Message.verify_chain().ok)
        # Tampering behind the ORM's back is found.
        self.env.cr.execute(
            "UPDATE cchc_exchange_message SET recipient_organ = 'X' WHERE id = %s", [entry.id]
        )
        self.env.invalidate_all()
        report = self.Message.verify_chain()
        self.assertFalse(report.ok)
        self.assertEqual(report.broken_at, entry.sequence)

    def test_no_exchange_key_leaves_nothing_issued(self):
        self.key.active = False
        doc = self._document(recipient_agency_ids=[(6, 0, self.other_agency.ids)])
        doc.with_user(self.leader).sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        with self.assertRaisesRegex(UserError, "exchange key"):
            with self.env.cr.savepoint():
                doc.with_user(self.clerk).issue_with_seal(self.certs["seal"], PASSPHRASE)
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertFalse(doc.number)

    def test_transport_retries_then_fails(self):
        doc = self._issued(self.external)
        out = self.Message.search([("document_id", "=", doc.id), ("direction", "=", "out")])
        self.assertEqual(out.transport_state, "queued")
        self.assertEqual(doc.dispatch_ids.state, "queued")
        self.Message._cron_send()
        self.assertEqual(out.transport_state, "retry")
        self.assertEqual(out.attempts, 1)
        self.assertTrue(out.next_attempt > datetime.now().replace(microsecond=0))
        out.write({"attempts": 9, "next_attempt": datetime(2000, 1, 1)})
        self.Message._cron_send()
        self.assertEqual(out.transport_state, "failed")
        self.assertEqual(doc.dispatch_ids.state, "failed")

    def test_transport_delivers_to_partner(self):
        doc = self._issued(self.external)
        out = self.Message.search([("document_id", "=", doc.id), ("direction", "=", "out")])
        calls = []

        class Answer:
            status_code = 200

            def json(self):
                return {"result": "accepted", "status": "03"}

        def fake_post(url, data, headers, timeout):
            calls.append((url, headers))
            return Answer()

        with patch("odoo.addons.cchc_esign.models.cchc_exchange.requests.post", fake_post):
            self.Message._cron_send()
        self.assertEqual(out.transport_state, "delivered")
        self.assertEqual(doc.dispatch_ids.state, "sent")
        url, headers = calls[0]
        body = base64.b64decode(out.package)
        self.assertEqual(url, self.partner.url)
        self.assertEqual(headers["X-CCHC-Partner"], "TEST")
        self.assertEqual(
            headers["X-CCHC-Signature"],
            request_signature("s3cret", headers["X-CCHC-Timestamp"], headers["X-CCHC-Nonce"], body),
        )
        self.assertEqual(edxml.verify(body).document.recipients[0].organ_id, "E01")

    def test_transport_retries_without_a_verdict(self):
        """Only 200 (accepted, duplicate) and 422 (refused) end a delivery; a 413 or a 502 from
        a proxy is tried again."""
        doc = self._issued(self.external)
        out = self.Message.search([("document_id", "=", doc.id), ("direction", "=", "out")])

        class Answer:
            status_code = 413
            text = "<html>Request Entity Too Large</html>"

            def json(self):
                raise ValueError("not JSON")

        with patch(
            "odoo.addons.cchc_esign.models.cchc_exchange.requests.post",
            lambda *a, **kw: Answer(),
        ):
            self.Message._cron_send()
        self.assertEqual(out.transport_state, "retry")
        self.assertIn("413", out.last_error)
        self.assertEqual(doc.dispatch_ids.state, "queued")


@tagged("post_install", "-at_install")
class TestExchangeEndpoint(ExchangeFixtures, HttpCase):
    """The HTTP endpoint: partner authentication, replay window, duplicates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_exchange()

    def _post(self, body, *, secret="s3cret", timestamp=None, nonce=None, partner="BAN"):
        timestamp = str(timestamp or int(time.time()))
        nonce = nonce or base64.b16encode(body[-16:] + str(time.time()).encode()).decode()[:32]
        headers = {
            "Content-Type": "application/xml",
            "X-CCHC-Partner": partner,
            "X-CCHC-Timestamp": timestamp,
            "X-CCHC-Nonce": nonce,
            "X-CCHC-Signature": request_signature(secret, timestamp, nonce, body),
        }
        return self.url_open("/cchc_esign/edxml", data=body, headers=headers)

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
        # Statuses 01 and 03 wait for the transport to the partner.
        queued = self.env["cchc.exchange.message"].search(
            [("partner_id", "=", self.partner.id), ("kind", "=", "status")]
        )
        self.assertEqual(sorted(queued.mapped("status_code")), ["01", "03"])
        self.assertEqual(set(queued.mapped("transport_state")), {"queued"})

    def test_endpoint_refuses_bad_packages(self):
        for body in (b"<not xml", b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'):
            response = self._post(body)
            self.assertEqual(response.status_code, 422, body)
            self.assertEqual(response.json()["result"], "refused")
        self.assertFalse(self.env["cchc.document"].search([("direction", "=", "in")]))
