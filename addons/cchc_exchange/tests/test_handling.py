from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_esign.tests.test_document import PASSPHRASE, b64, one_page_pdf
from odoo.addons.queue_job.tests.common import trap_jobs

from .test_exchange import ExchangeFixtures


class HandlingFixtures(ExchangeFixtures):
    @classmethod
    def _setup_handling(cls):
        cls._setup_exchange()
        # An officer of a unit under the receiving agency (T02), who sees only what he is given.
        cls.unit = cls.env["cchc.agency"].create(
            {"name": "Phòng Tổng hợp", "identifier": "T02.01", "parent_id": cls.other_agency.id}
        )
        cls.unit_officer = cls._user("ex_unit_officer", "cchc_base.group_cchc_user", cls.unit)

    @classmethod
    def _receive_one(cls, name="Công văn xin ý kiến"):
        """A document of T01 issued to T02 and delivered (the jobs run at once): T02's copy."""
        with trap_jobs() as trap:
            doc = (
                cls.env["cchc.document"]
                .with_user(cls.drafter)
                .create(
                    {
                        "name": name,
                        "type_id": cls.decision.id,
                        "agency_id": cls.agency.id,
                        "pdf": b64(one_page_pdf()),
                        "pdf_name": "cv.pdf",
                        "signer_id": cls.leader.id,
                        "signer_position": "CHỦ TỊCH",
                        "place": "Thử",
                        "recipients_text": "- Như trên;\n- Lưu: VT.",
                        "recipient_agency_ids": [(6, 0, cls.other_agency.ids)],
                    }
                )
            )
            doc.action_submit()
            doc.with_user(cls.leader).action_approve()
            doc.with_user(cls.leader)._sign_as_leader(
                cls.certs["leader"].with_user(cls.leader), PASSPHRASE
            )
            doc.with_user(cls.clerk)._issue_with_seal(cls.certs["seal"], PASSPHRASE)
            cls._perform_trapped(trap)
        return cls.env["cchc.document"].search(
            [("direction", "=", "in"), ("edxml_document_id", "=", doc.edxml_document_id)]
        )


@tagged("post_install", "-at_install")
class TestIncomingHandling(HandlingFixtures, TransactionCase):
    """The receiving side: what was received is shown, its leader assigns with a deadline in
    working days, the officer closes it, overdue handling is flagged."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_handling()

    def setUp(self):
        super().setUp()
        self.trap = self.enterContext(trap_jobs())

    def _assign(self, incoming, user, days, unit=False):
        wizard = (
            self.env["cchc.document.assign"]
            .with_user(user)
            .create(
                {
                    "document_id": incoming.id,
                    "user_id": self.unit_officer.id,
                    "unit": unit,
                    "days": days,
                }
            )
        )
        deadline = wizard.deadline
        wizard.action_assign()
        return deadline

    def test_handling_activity_in_the_leaders_language(self):
        """The job that registers a document runs in the sender's language: the leader's
        to-do is written in the leader's own."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(
            ["cchc_exchange"], ["vi_VN"], overwrite=True
        )
        self.leader_b.lang = "vi_VN"
        self.assertNotEqual(self.clerk.lang, "vi_VN")
        incoming = self._incoming(self._issued(self.other_agency))
        self.assertEqual(incoming.activity_ids.user_id, self.leader_b)
        self.assertEqual(incoming.activity_ids.summary, "Phân công xử lý văn bản đến")

    def test_received_document_shows_number_signer_and_waits_for_the_leader(self):
        doc = self._issued(self.other_agency)
        incoming = self._incoming(doc)
        self.assertEqual(incoming.origin_code, doc.code)
        self.assertEqual(incoming.issue_date, doc.issue_date)
        self.assertEqual(incoming.agency_id, self.agency)
        self.assertEqual(incoming.signer_name, self.leader.name)
        self.assertEqual(incoming.signer_position, "PHÓ CHỦ TỊCH")
        # The capacity the sender signed in travels with it (edXML Competence).
        self.assertEqual(incoming.signer_competence, doc._on_behalf())
        self.assertTrue(incoming.signer_competence)
        # The clerk registered it; its leader is asked to assign it.
        self.assertEqual(incoming.activity_ids.user_id, self.leader_b)
        self.assertEqual(incoming.activity_ids.summary, "Assign the incoming document")
        listed = (
            self.env["cchc.document"]
            .with_user(self.leader_b)
            .search([("direction", "=", "in"), ("handling_state", "=", "registered")])
        )
        self.assertIn(incoming, listed)

    def test_signer_read_from_the_signed_pdf_when_the_package_names_none(self):
        package = self._package_from("T01", "T02", document_id="T01,x-signer", signer_name="")
        answer = self.Message._receive(package, partner=self.env["cchc.exchange.partner"])
        self.assertEqual(answer["result"], "accepted", answer["reason"])
        incoming = self.env["cchc.document"].search([("edxml_document_id", "=", "T01,x-signer")])
        self.assertEqual(incoming.origin_code, "07/QĐ-UBND")
        # The common name of the first (competent person's) certificate of the PDF.
        self.assertEqual(incoming.signer_name, "Nguyễn Văn An")

    def test_leader_assigns_with_working_days_and_officer_closes(self):
        incoming = self._incoming(self._issued(self.other_agency))
        today = date.today()
        preview = self._assign(incoming, self.leader_b, 2, unit="Phòng Tổng hợp")
        expected = self.env["cchc.holiday"].add_working_days(today, 2)
        self.assertEqual(preview, expected)
        self.assertLess(expected.weekday(), 5)
        self.assertEqual(incoming.handling_deadline, expected)
        self.assertEqual(
            (incoming.handling_state, incoming.handler_id, incoming.handling_unit),
            ("assigned", self.unit_officer, "Phòng Tổng hợp"),
        )
        # The officer of the unit below sees it in his list (not the agency's other mail).
        Document = self.env["cchc.document"].with_user(self.unit_officer)
        mine = Document.search([("handler_id", "=", self.unit_officer.id)])
        self.assertEqual(mine, incoming)
        self.assertTrue(incoming.with_user(self.unit_officer).may_handle)
        self.assertFalse(incoming.with_user(self.unit_officer).is_receiving_leader)
        incoming.with_user(self.unit_officer).action_start_processing()
        action = incoming.with_user(self.unit_officer).action_complete_handling()
        self.assertEqual(action["res_model"], "cchc.document.complete")
        with self.assertRaises(UserError):
            self.env["cchc.document.complete"].with_user(self.unit_officer).create(
                {"document_id": incoming.id, "result": "  "}
            ).action_complete()
        self.env["cchc.document.complete"].with_user(self.unit_officer).create(
            {"document_id": incoming.id, "result": "Đã tham mưu văn bản trả lời"}
        ).action_complete()
        self.assertEqual(incoming.handling_state, "completed")
        self.assertEqual(incoming.completed_date, today)
        self.assertEqual(incoming.handling_result, "Đã tham mưu văn bản trả lời")

    def test_a_holiday_moves_the_deadline(self):
        Holiday = self.env["cchc.holiday"]
        next_working_day = Holiday.add_working_days(date.today(), 1)
        Holiday.create(
            {"name": "Nghỉ bù thử", "date_from": next_working_day, "date_to": next_working_day}
        )
        incoming = self._incoming(self._issued(self.other_agency))
        self._assign(incoming, self.leader_b, 1)
        self.assertGreater(incoming.handling_deadline, next_working_day)
        self.assertEqual(incoming.handling_deadline, Holiday.add_working_days(next_working_day, 1))

    def test_overdue_flag_and_filter(self):
        incoming = self._incoming(self._issued(self.other_agency))
        self._assign(incoming, self.leader_b, 1)
        deadline = incoming.handling_deadline
        Document = self.env["cchc.document"].with_user(self.leader_b)
        overdue = [("handling_overdue", "=", True)]
        with freeze_time(deadline):
            incoming.invalidate_recordset(["handling_overdue"])
            self.assertFalse(incoming.handling_overdue)
            self.assertNotIn(incoming, Document.search(overdue))
        with freeze_time(deadline + timedelta(days=1)):
            incoming.invalidate_recordset(["handling_overdue"])
            self.assertTrue(incoming.handling_overdue)
            self.assertIn(incoming, Document.search(overdue))
            self.assertNotIn(incoming, Document.search([("handling_overdue", "=", False)]))
            # Closed late (by the leader): no longer flagged.
            self.env["cchc.document.complete"].with_user(self.leader_b).create(
                {"document_id": incoming.id, "result": "Đã xử lý"}
            ).action_complete()
            incoming.invalidate_recordset(["handling_overdue"])
            self.assertFalse(incoming.handling_overdue)
            self.assertNotIn(incoming, Document.search(overdue))

    def test_only_the_receiving_leader_assigns(self):
        incoming = self._incoming(self._issued(self.other_agency))
        # The clerk (no right to the wizard), a leader of another agency, a plain officer.
        with self.assertRaises(AccessError):
            self._assign(incoming, self.clerk_b, 2)
        with self.assertRaises(AccessError):
            self._assign(incoming, self.leader, 2)
        with self.assertRaises(AccessError):
            incoming.with_user(self.handler_b)._check_receiving_leader()
        # Nobody outside the receiving agency (and its units) is given its mail.
        wizard = (
            self.env["cchc.document.assign"]
            .with_user(self.leader_b)
            .create({"document_id": incoming.id, "user_id": self.drafter.id})
        )
        with self.assertRaisesRegex(UserError, "does not work at"):
            wizard.action_assign()
        self.assertEqual(incoming.handling_state, "registered")

    def test_only_the_assignee_or_the_leader_closes(self):
        incoming = self._incoming(self._issued(self.other_agency))
        self._assign(incoming, self.leader_b, 3)
        for user in (self.handler_b, self.outsider):
            with self.assertRaises(AccessError):
                incoming.with_user(user).action_start_processing()
            with self.assertRaises(AccessError):
                self.env["cchc.document.complete"].with_user(user).create(
                    {"document_id": incoming.id, "result": "Không phải việc của tôi"}
                ).action_complete()
        self.assertEqual(incoming.handling_state, "assigned")
        incoming.with_user(self.leader_b).action_start_processing()
        self.assertEqual(incoming.handling_state, "processing")


@tagged("post_install", "-at_install")
class TestIncomingHandlingOverRpc(HandlingFixtures, RpcCase):
    """The same rules held against a JSON-RPC client: the leader of another agency, an officer
    of another agency, a plain officer of the receiving agency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_handling()
        cls.incoming = cls._receive_one()

    def _wizard(self, model, vals):
        return self.assertRpcOk(model, "create", [vals])

    def test_assign_and_close_over_rpc(self):
        incoming = self.incoming
        self.assertEqual(incoming.handling_state, "registered")
        assign_vals = {"document_id": incoming.id, "user_id": self.handler_b.id, "days": 3}
        # The leader of another agency (the sender's): refused on the server.
        self.rpc_login(self.leader)
        for context in (None, OLD_GUARD_KEYS):
            wizard = self._wizard("cchc.document.assign", assign_vals)
            self.assertRpcRefused(
                "cchc.document.assign",
                "action_assign",
                [[wizard]],
                context=context,
                error="AccessError",
            )
        # An officer of another agency cannot start or close it either.
        self.rpc_login(self.drafter)
        self.assertRpcRefused(
            "cchc.document", "action_start_processing", [incoming.ids], error="AccessError"
        )
        wizard = self._wizard("cchc.document.complete", {"document_id": incoming.id, "result": "x"})
        self.assertRpcRefused(
            "cchc.document.complete", "action_complete", [[wizard]], error="AccessError"
        )
        # A plain officer of the receiving agency does not assign.
        self.rpc_login(self.handler_b)
        self.assertRpcRefused("cchc.document.assign", "create", [assign_vals], error="AccessError")
        incoming.invalidate_recordset()
        self.assertEqual(incoming.handling_state, "registered")
        # Its leader does.
        self.rpc_login(self.leader_b)
        wizard = self._wizard("cchc.document.assign", assign_vals)
        self.assertRpcOk("cchc.document.assign", "action_assign", [[wizard]])
        incoming.invalidate_recordset()
        self.assertEqual(
            (incoming.handling_state, incoming.handler_id), ("assigned", self.handler_b)
        )
        # Another officer of the same agency is not the assignee: refused, whatever he sends.
        self.rpc_login(self.outsider)
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                "cchc.document",
                "action_start_processing",
                [incoming.ids],
                context=context,
                error="AccessError",
            )
            self.assertRpcRefused(
                "cchc.document",
                "action_complete_handling",
                [incoming.ids],
                context=context,
                error="AccessError",
            )
            wizard = self._wizard(
                "cchc.document.complete", {"document_id": incoming.id, "result": "x"}
            )
            self.assertRpcRefused(
                "cchc.document.complete",
                "action_complete",
                [[wizard]],
                context=context,
                error="AccessError",
            )
            for vals in ({"handling_state": "completed"}, {"handling_result": "giả"}):
                self.assertRpcRefused(
                    "cchc.document", "write", [incoming.ids, vals], context=context
                )
            self.assertRpcRefused("cchc.document", "_complete_handling", [incoming.ids, "x"])
        incoming.invalidate_recordset()
        self.assertEqual(incoming.handling_state, "assigned")
        # The assignee closes it with his note.
        self.rpc_login(self.handler_b)
        wizard = self._wizard(
            "cchc.document.complete", {"document_id": incoming.id, "result": "Đã xử lý xong"}
        )
        self.assertRpcOk("cchc.document.complete", "action_complete", [[wizard]])
        incoming.invalidate_recordset()
        self.assertEqual(
            (incoming.handling_state, incoming.handling_result), ("completed", "Đã xử lý xong")
        )

    def test_received_pdf_cannot_be_removed_or_replaced(self):
        attachment = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "cchc.document"),
                ("res_id", "=", self.incoming.id),
                ("res_field", "=", "pdf"),
            ]
        )
        self.assertEqual(len(attachment), 1)
        sha = self.incoming.pdf_sha256
        for user in (self.clerk_b, self.leader_b, self.handler_b):
            self.rpc_login(user)
            for context in (None, OLD_GUARD_KEYS):
                self.assertRpcRefused("ir.attachment", "unlink", [attachment.ids], context=context)
                self.assertRpcRefused(
                    "ir.attachment",
                    "write",
                    [attachment.ids, {"datas": b64(one_page_pdf()).decode()}],
                    context=context,
                )
                self.assertRpcRefused(
                    "cchc.document", "write", [self.incoming.ids, {"pdf": False}], context=context
                )
                self.assertRpcRefused(
                    "cchc.document", "unlink", [self.incoming.ids], context=context
                )
        self.assertTrue(attachment.exists())
        self.incoming.invalidate_recordset()
        self.assertEqual(self.incoming.pdf_sha256, sha)
        self.incoming.action_verify()
        self.assertEqual(self.incoming.verdict, "valid")
