import base64
import hashlib
import io
import json
import zipfile
from datetime import UTC, date, datetime
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_esign.tests.test_document import (
    PASSPHRASE,
    SigningFixtures,
    b64,
    one_page_pdf,
)
from odoo.addons.queue_job.exception import FailedJobError, RetryableJobError
from odoo.addons.queue_job.job import Job
from odoo.addons.queue_job.tests.common import trap_jobs

from cchc_core import edxml, pades

from ..hooks import move_log_packages_to_column
from ..models.cchc_exchange_message import MAX_ATTEMPTS
from ..tools.exchange_common import request_signature


def issue_day():
    """The province's day, the one a document is issued on (after 17:00 UTC, tomorrow's)."""
    return pades.vietnam_time(datetime.now(UTC)).date()


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
        cls.leader_b = cls._user("ex_leader_b", "cchc_base.group_cchc_leader", cls.other_agency)
        cls.other_agency.leader_ids = cls.leader_b
        cls.Message = cls.env["cchc.exchange.message"]

    @classmethod
    def _approved_document_cls(cls, **vals):
        """A document drafted and approved, to sign (usable where there is no ``self``)."""
        doc = (
            cls.env["cchc.document"]
            .with_user(cls.drafter)
            .create(
                {
                    "name": "Quyết định thử nghiệm",
                    "type_id": cls.decision.id,
                    "agency_id": cls.agency.id,
                    "pdf": b64(one_page_pdf()),
                    "pdf_name": "qd.pdf",
                    "signer_id": cls.leader.id,
                    "signer_position": "CHỦ TỊCH",
                    "place": "Thử",
                    "recipients_text": "- Như Điều 3;\n- Lưu: VT.",
                    **vals,
                }
            )
        )
        doc.action_submit()
        doc.with_user(cls.leader).action_approve()
        return doc

    @classmethod
    def _issued_document_cls(cls, **vals):
        """A document approved, signed by the leader and issued with the seal (its jobs are
        left to the caller)."""
        doc = cls._approved_document_cls(**vals)
        doc.with_user(cls.leader)._sign_as_leader(
            cls.certs["leader"].with_user(cls.leader), PASSPHRASE
        )
        doc.with_user(cls.clerk)._issue_with_seal(cls.certs["seal"], PASSPHRASE)
        return doc

    @staticmethod
    def _perform_trapped(trap, rounds=6):
        """Perform the trapped jobs, then those they queued… (for a class's shared data)."""
        for _ in range(rounds):
            jobs, trap.enqueued_jobs = trap.enqueued_jobs, []
            for job in jobs:
                job.perform()

    def _issued(self, recipients, run=True, **vals):
        doc = self._document(recipient_agency_ids=[Command.set(recipients.ids)], **vals)
        doc.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        doc.with_user(self.clerk)._issue_with_seal(self.certs["seal"], PASSPHRASE)
        if run:
            self._run_jobs()
        return doc

    def _run_jobs(self, rounds=10):
        """Perform the trapped jobs, then those they queued, … (as the job runner would)."""
        trap = getattr(self, "trap", None)
        for _ in range(rounds):
            if not trap or not trap.enqueued_jobs:
                return
            internal = [j for j in trap.enqueued_jobs if not j.recordset.partner_id]
            trap.enqueued_jobs = [j for j in trap.enqueued_jobs if j not in internal]
            for job in internal:
                job.perform()

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
            signer_name=kw.pop("signer_name", "Nguyễn Văn An"),
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

    def setUp(self):
        super().setUp()
        self.trap = self.enterContext(trap_jobs())

    def _measure(self, name, agencies, date_from, date_to):
        source = self.env["cchc.indicator.source"].search(
            [("method_name", "=", f"_cchc_indicator_{name}")]
        )
        return source._measure(agencies, date_from, date_to)

    def _indicator(self, name, agencies, date_from, date_to):
        measures = self._measure(name, agencies, date_from, date_to)
        return {agency_id: m["value"] for agency_id, m in measures.items()}

    def _partner_job(self, doc):
        out = self.Message.search(
            [("document_id", "=", doc.id), ("direction", "=", "out"), ("kind", "=", "document")]
        )
        jobs = [j for j in self.trap.enqueued_jobs if j.recordset == out]
        self.assertEqual(len(jobs), 1)
        return out, jobs[0]

    def test_one_job_per_recipient_and_no_recursion(self):
        third = self.env["cchc.agency"].create({"name": "Sở Thứ Ba", "identifier": "T03"})
        doc = self._issued(self.other_agency | third | self.external, run=False)
        # One job per package and recipient, each on its recipient's channel.
        self.assertEqual(len(self.trap.enqueued_jobs), 3)
        channels = sorted(job.channel for job in self.trap.enqueued_jobs)
        self.assertEqual(
            channels,
            [
                "root.cchc_exchange.BAN",
                "root.cchc_exchange.internal",
                "root.cchc_exchange.internal",
            ],
        )
        self.assertFalse(self._incoming(doc))
        # An internal delivery registers the document and queues its answers as new jobs:
        # nothing is received back inside the same job.
        internal = [j for j in self.trap.enqueued_jobs if not j.recordset.partner_id]
        self.trap.enqueued_jobs = []
        internal[0].perform()
        self.assertEqual(
            len(self._incoming(doc, self.other_agency) | self._incoming(doc, third)), 1
        )
        statuses = [j.recordset.status_code for j in self.trap.enqueued_jobs]
        self.assertEqual(sorted(statuses), ["01", "03"])
        self.assertEqual(set(doc.dispatch_ids.mapped("state")), {"queued", "sent"})
        self._run_jobs()
        internal[1].perform()
        self._run_jobs()
        self.assertEqual(
            sorted(doc.dispatch_ids.mapped("state")), ["03", "03", "queued"], "partner waits"
        )

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
            doc.with_user(self.clerk).action_send_electronically()

    def test_handling_statuses_flow_back_and_indicator(self):
        self.other_agency.incoming_handling_days = 3
        doc = self._issued(self.other_agency)
        incoming = self._incoming(doc)
        wizard = (
            self.env["cchc.document.assign"]
            .with_user(self.leader_b)
            .create({"document_id": incoming.id, "user_id": self.handler_b.id})
        )
        wizard.action_assign()
        self._run_jobs()
        self.assertEqual(incoming.handling_state, "assigned")
        self.assertEqual(incoming.handler_id, self.handler_b)
        expected = self.env["cchc.holiday"].add_working_days(date.today(), 3)
        self.assertEqual(incoming.handling_deadline, expected)
        self.assertEqual(doc.dispatch_ids.state, "04")
        incoming.with_user(self.handler_b).action_start_processing()
        self._run_jobs()
        self.assertEqual(doc.dispatch_ids.state, "05")
        self.env["cchc.document.complete"].with_user(self.handler_b).create(
            {"document_id": incoming.id, "result": "Đã trả lời bằng công văn 45/SK-TH"}
        ).action_complete()
        self._run_jobs()
        self.assertEqual(incoming.handling_result, "Đã trả lời bằng công văn 45/SK-TH")
        self.assertEqual(doc.dispatch_ids.state, "06")
        rate = self._indicator("incoming_on_time_rate", self.other_agency, date.today(), expected)
        self.assertEqual(rate, {self.other_agency.id: 100.0})
        electronic = self._indicator(
            "outgoing_electronic_rate", self.agency, issue_day(), issue_day()
        )
        self.assertEqual(electronic, {self.agency.id: 100.0})
        signed = self._indicator("outgoing_signed_rate", self.agency, issue_day(), issue_day())
        self.assertEqual(signed, {self.agency.id: 100.0})

    def test_indicators_count_paper_and_late(self):
        self._issued(self.other_agency)
        paper = self._issued(self.env["cchc.agency"], recipients_text="- Như trên")
        self.assertFalse(paper.dispatch_ids)
        rate = self._indicator("outgoing_electronic_rate", self.agency, issue_day(), issue_day())
        self.assertEqual(rate, {self.agency.id: 50.0})
        # By hand: 1 of the 2 issued documents travelled electronically; the value opens both.
        measure = self._measure("outgoing_electronic_rate", self.agency, issue_day(), issue_day())
        measure = measure[self.agency.id]
        self.assertEqual((measure["numerator"], measure["denominator"]), (1.0, 2.0))
        self.assertEqual(measure["res_model"], "cchc.document")
        counted = self.env["cchc.document"].search(json.loads(measure["res_domain"]))
        self.assertIn(paper, counted)
        self.assertEqual(len(counted), 2)
        # Secret documents are left out of both shares.
        self._issued(self.other_agency, confidentiality="secret")
        rate = self._indicator("outgoing_electronic_rate", self.agency, issue_day(), issue_day())
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
        # Its sender is not proven: no status 02 goes to the agency it names.
        self.assertFalse(
            self.Message.search(
                [("direction", "=", "out"), ("status_code", "=", "02"), ("document_id", "=", False)]
            )
        )
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
        self._run_jobs()
        self.assertEqual(self._incoming(doc).handling_state, "recalled")
        self.assertEqual(doc.dispatch_ids.state, "15")

    def test_own_todos_survive_the_handling_activities(self):
        """The exchange removes only the activities it scheduled, never a person's To-Do."""
        handling = self.env.ref("cchc_exchange.mail_activity_type_incoming_document")
        doc = self._issued(self.other_agency)
        incoming = self._incoming(doc)
        own = incoming.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.clerk_b.id, summary="Trình lãnh đạo"
        )
        scheduled = incoming.activity_ids - own
        self.assertEqual(scheduled.activity_type_id, handling)
        self.assertEqual(scheduled.user_id, self.leader_b)
        self.env["cchc.document.assign"].with_user(self.leader_b).create(
            {"document_id": incoming.id, "user_id": self.handler_b.id}
        ).action_assign()
        self.assertFalse(scheduled.exists(), "the leader's activity to assign it is done with")
        scheduled = incoming.activity_ids - own
        self.assertEqual(scheduled.activity_type_id, handling)
        self.assertEqual(scheduled.user_id, self.handler_b)
        self.assertIn(own, incoming.activity_ids)
        self.env["cchc.document.complete"].with_user(self.handler_b).create(
            {"document_id": incoming.id, "result": "Đã xử lý"}
        ).action_complete()
        self.assertEqual(incoming.activity_ids, own)
        # A recall withdraws the document's handling activities, not the To-Dos.
        recalled = self._issued(self.other_agency)
        incoming = self._incoming(recalled)
        own = incoming.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.handler_b.id, summary="Đọc kỹ"
        )
        recalled.with_user(self.clerk).action_recall()
        self._run_jobs()
        self.assertEqual(incoming.handling_state, "recalled")
        self.assertEqual(incoming.activity_ids, own)

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

    def test_packages_received_together_answer_as_one_by_one(self):
        """Packages received together get the answers they would get one after the other:
        the same package twice (duplicate), another package under a document id just taken
        (refused), a package that does not verify (refused), a replacement of a document of
        the same batch (accepted, the replaced one marked)."""
        doc_a, doc_b = "E01,2026/11/20,7/QĐ-UBND", "E01,2026/11/20,8/QĐ-UBND"
        first = self._package_from("E01", "T02", document_id=doc_a)
        second = self._package_from("E01", "T02", document_id=doc_b)
        other = self._package_from("E01", "T02", document_id=doc_a, content="khác")
        replacing = self._package_from(
            "E01",
            "T02",
            document_id="E01,2026/11/21,9/QĐ-UBND",
            business_type=edxml.BUSINESS_REPLACEMENT,
            replaced_document_ids=(doc_b,),
        )
        entries = self.Message.search_count([])
        answers = self.Message._receive_many(
            [first, second, first, other, b"<edXMLEnvelope/>", replacing], self.partner
        )
        self.assertEqual(
            [a["result"] for a in answers],
            ["accepted", "accepted", "duplicate", "refused", "refused", "accepted"],
        )
        self.assertIn(doc_a, answers[3]["reason"])
        incoming = self.env["cchc.document"].search(
            [("edxml_sender_organ", "=", "E01")], order="incoming_number"
        )
        self.assertEqual(len(incoming), 3)
        self.assertEqual(incoming.mapped("incoming_number"), [1, 2, 3])
        self.assertEqual(set(incoming.mapped("state")), {"registered"})
        self.assertEqual(incoming.mapped("verdict"), ["valid"] * 3)
        self.assertTrue(all(d.verification_data["signatures"] for d in incoming))
        self.assertEqual(incoming[1].handling_state, "replaced")
        self.assertEqual(incoming[2].supersedes_id, incoming[1])
        for doc in incoming:
            notes = doc.message_ids.filtered(lambda m: "Received electronically" in m.body)
            self.assertEqual(len(notes), 1)
            # In words, not codes: how it came and the verdict's label.
            self.assertIn("(through the exchange)", notes.body)
            self.assertIn("signatures: Valid.", notes.body)
        # Six packages in; 01 and 03 out for each of the three documents, 02 for the package
        # of the partner refused after its signature verified; the log still chains.
        self.assertEqual(self.Message.search_count([]) - entries, 6 + 6 + 1)
        self.assertEqual(
            self.Message.search([("direction", "=", "out")], limit=7).mapped("status_code"),
            ["03", "01", "02", "03", "01", "03", "01"],
        )
        self.assertTrue(self.Message.verify_chain().ok)

    def test_zip_of_packages_imported_together(self):
        """A ZIP of packages (a folder exported from another system) is imported in one go:
        its .edxml/.xml files in name order, anything else left aside, a summary of what
        became of each; an archive beyond the limits is refused with nothing written."""
        Import = self.env["cchc.edxml.import"].with_user(self.clerk_b)
        first = self._package_from("E01", "T02", document_id="E01,2026/11/20,7/QĐ-UBND")
        second = self._package_from("E01", "T02", document_id="E01,2026/11/20,8/QĐ-UBND")
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("goi/01.edxml", first)
            out.writestr("goi/02.xml", second)
            out.writestr("goi/03.edxml", first)
            out.writestr("goi/04.edxml", b"<edXMLEnvelope/>")
            out.writestr("goi/doc-toi.txt", b"not a package")
        wizard = Import.create(
            {
                "package": b64(archive.getvalue()),
                "package_name": "goi.zip",
                "partner_id": self.partner.id,
            }
        )
        params = wizard.action_import()["params"]
        self.assertEqual(params["type"], "danger")
        self.assertIn(
            "4 packages: 2 verified and registered, 1 already received, 1 refused.",
            params["message"],
        )
        self.assertIn("goi/04.edxml: ", params["message"])
        self.assertEqual(
            self.env["cchc.document"].search_count([("edxml_sender_organ", "=", "E01")]), 2
        )
        # Nothing to import, or an archive that expands beyond the limits: refused, nothing
        # read or written.
        empty = io.BytesIO()
        with zipfile.ZipFile(empty, "w") as out:
            out.writestr("doc-toi.txt", b"not a package")
        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
            out.writestr("to.edxml", b"\0" * (20 * 1024 * 1024))
        entries = self.Message.search_count([])
        for data, error in (
            (empty.getvalue(), "holds no .edxml or .xml package"),
            (bomb.getvalue(), "The ZIP archive was refused"),
        ):
            wizard = Import.create({"package": b64(data), "partner_id": self.partner.id})
            with self.assertRaisesRegex(UserError, error):
                wizard.action_import()
        self.assertEqual(self.Message.search_count([]), entries)

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

    def test_log_packages_in_their_rows_and_moved_from_the_filestore(self):
        """Each package is in its entry's row, not in the filestore; a package changed there is
        found. A log of the versions before 18.0.1.1.0 (packages as filestore attachments) has
        them moved to the rows by the migration, and verifies as before."""
        self._issued(self.other_agency)
        entries = self.Message.search([], order="sequence")
        self.assertGreaterEqual(len(entries), 3)
        cr = self.env.cr
        cr.execute("SELECT count(*) FROM ir_attachment WHERE res_model = 'cchc.exchange.message'")
        self.assertEqual(cr.fetchone()[0], 0)
        packages = {entry.id: base64.b64decode(entry.package) for entry in entries}
        self.assertTrue(all(packages.values()))
        # As the versions before 18.0.1.1.0 kept them: attachments, nothing in the rows.
        with unlocked("cchc.exchange.message"):
            self.env["ir.attachment"].sudo().create(
                [
                    {
                        "name": "package",
                        "raw": data,
                        "res_model": "cchc.exchange.message",
                        "res_id": entry_id,
                        "res_field": "package",
                    }
                    for entry_id, data in packages.items()
                ]
            )
        cr.execute("UPDATE cchc_exchange_message SET package = NULL")
        self.env.invalidate_all()
        self.assertFalse(self.Message.verify_chain().ok, "packages missing from the rows")
        self.assertEqual(move_log_packages_to_column(self.env), len(entries))
        self.env.invalidate_all()
        cr.execute("SELECT count(*) FROM ir_attachment WHERE res_model = 'cchc.exchange.message'")
        self.assertEqual(cr.fetchone()[0], 0)
        self.assertEqual({entry.id: base64.b64decode(entry.package) for entry in entries}, packages)
        self.assertTrue(self.Message.verify_chain().ok)
        # A package changed in its row, behind the ORM's back.
        cr.execute(
            "UPDATE cchc_exchange_message SET package = %s WHERE id = %s",
            [base64.b64encode(packages[entries[1].id] + b" "), entries[1].id],
        )
        self.env.invalidate_all()
        report = self.Message.verify_chain()
        self.assertEqual((report.ok, report.broken_at), (False, entries[1].sequence))

    def test_entries_appended_together_are_chained_in_order(self):
        vals = {"direction": "out", "kind": "status", "recipient_organ": "G01.01"}
        last = self.Message.search([], limit=1).sequence or 0
        entries = self.Message.sudo()._log_many(
            [(vals, b"first", True), (vals, b"second", True), (vals, b"third", True)]
        )
        self.assertEqual(entries.mapped("sequence"), [last + 1, last + 2, last + 3])
        self.assertEqual(entries[1].prev_hash, entries[0].entry_hash)
        self.assertEqual(entries[2].prev_hash, entries[1].entry_hash)
        self.assertTrue(self.Message.verify_chain().ok)

    def test_log_head_after_a_rolled_back_append(self):
        """The head a transaction remembers after appending is checked, not trusted: an entry
        undone with its savepoint is not chained to."""
        vals = {"direction": "out", "kind": "status", "recipient_organ": "G01.01"}
        Message = self.Message.sudo()
        first = Message._log(vals, b"first")
        with self.assertRaisesRegex(RuntimeError, "undone"), self.env.cr.savepoint():
            Message._log(vals, b"undone")
            raise RuntimeError("undone")
        after = Message._log(vals, b"after")
        self.assertEqual(after.sequence, first.sequence + 1)
        self.assertEqual(after.prev_hash, first.entry_hash)
        self.assertTrue(self.Message.verify_chain().ok)

    def test_no_exchange_key_leaves_nothing_issued(self):
        self.key.active = False
        doc = self._document(recipient_agency_ids=[Command.set(self.other_agency.ids)])
        doc.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        with self.assertRaisesRegex(UserError, "exchange key"):
            with self.env.cr.savepoint():
                doc.with_user(self.clerk)._issue_with_seal(self.certs["seal"], PASSPHRASE)
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        self.assertFalse(doc.number)

    def test_transport_retries_then_fails_visibly(self):
        doc = self._issued(self.external)
        out, job = self._partner_job(doc)
        self.assertEqual(out.transport_state, "queued")
        self.assertEqual(doc.dispatch_ids.state, "queued")
        self.assertEqual(job.max_retries, MAX_ATTEMPTS)
        self.assertEqual(job.channel, "root.cchc_exchange.BAN")
        self.assertEqual(self.partner.channel_id.complete_name, "root.cchc_exchange.BAN")
        # Nobody listens on the partner's endpoint: the job asks to be tried again later.
        with self.assertRaises(RetryableJobError):
            job.perform()
        self.assertEqual(job.retry, 1)
        self.assertGreater(job._get_retry_seconds(), 0)
        # The last attempt fails the job; the job runner stores it failed, as here (the trap
        # keeps jobs out of the database: Job.store itself does what the runner does).
        Job.store(job)
        job.retry = MAX_ATTEMPTS - 1
        with self.assertRaises(FailedJobError) as failure:
            job.perform()
        job.set_failed(exc_message=str(failure.exception), exc_name="FailedJobError")
        Job.store(job)
        self.assertEqual(self.env["queue.job"].search([("uuid", "=", job.uuid)]).state, "failed")
        self.assertEqual(out.transport_state, "failed")
        self.assertIn("Max. retries", out.last_error)
        self.assertEqual(doc.dispatch_ids.state, "failed")
        self.assertIn("Max. retries", doc.dispatch_ids.last_error)
        self.assertTrue(doc.dispatch_ids.can_send_again)
        self.assertIn("Not delivered", doc.message_ids[0].body)
        # The clerk sends it again: a new job; another agency's clerk cannot.
        with self.assertRaises(UserError):
            doc.dispatch_ids.with_user(self.clerk_b).action_send_again()
        self.trap.enqueued_jobs = []
        doc.dispatch_ids.with_user(self.clerk).action_send_again()
        self.assertEqual(out.transport_state, "queued")
        self.assertEqual(doc.dispatch_ids.state, "queued")
        self.assertEqual(len(self.trap.enqueued_jobs), 1)
        self.assertEqual(self.trap.enqueued_jobs[0].uuid, out.job_uuid)

    def test_transport_delivers_to_partner(self):
        doc = self._issued(self.external)
        out, job = self._partner_job(doc)
        calls = []

        class Answer:
            status_code = 200

            def json(self):
                return {"result": "accepted", "status": "03"}

        def fake_post(url, data, headers, timeout):
            calls.append((url, headers))
            return Answer()

        with patch(
            "odoo.addons.cchc_exchange.models.cchc_exchange_partner.requests.post", fake_post
        ):
            job.perform()
        self.assertEqual(out.transport_state, "delivered")
        self.assertEqual(doc.dispatch_ids.state, "sent")
        url, headers = calls[0]
        body = base64.b64decode(out.package)
        self.assertEqual(url, self.partner.url)
        self.assertEqual(headers["X-CCHC-Partner"], "TEST")
        self.assertEqual(headers["X-CCHC-Content-SHA256"], hashlib.sha256(body).hexdigest())
        self.assertEqual(
            headers["X-CCHC-Signature"],
            request_signature(
                "s3cret",
                headers["X-CCHC-Timestamp"],
                headers["X-CCHC-Nonce"],
                hashlib.sha256(body).hexdigest(),
            ),
        )
        self.assertEqual(edxml.verify(body).document.recipients[0].organ_id, "E01")

    def test_transport_retries_without_a_verdict(self):
        """Only 200 (accepted, duplicate) and 422 (refused) end a delivery; a 413 or a 502 from
        a proxy is tried again."""
        doc = self._issued(self.external)
        out, job = self._partner_job(doc)

        class Answer:
            status_code = 413
            text = "<html>Request Entity Too Large</html>"

            def json(self):
                raise ValueError("not JSON")

        with (
            patch(
                "odoo.addons.cchc_exchange.models.cchc_exchange_partner.requests.post",
                lambda *a, **kw: Answer(),
            ),
            self.assertRaisesRegex(RetryableJobError, "413"),
        ):
            job.perform()
        self.assertEqual(doc.dispatch_ids.state, "queued")
