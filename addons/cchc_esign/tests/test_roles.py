"""Roles as a province has them, tried over JSON-RPC as each person would: a department drafts
for the People's Committee, the People's Committee's leaders sign, the clerks of Văn phòng UBND
tỉnh number and issue; signers are the issuing agency's leaders; notations use short codes; a
document without recipients is not issued."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase

from .test_document import PASSPHRASE, SigningFixtures, b64, one_page_pdf


@tagged("post_install", "-at_install")
class TestProvinceRoles(SigningFixtures, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()
        Agency = cls.env["cchc.agency"]
        # cls.agency is the People's Committee: its documents are numbered by the clerks of
        # its office; a department drafts for it.
        cls.office = Agency.create(
            {"name": "Văn phòng UBND tỉnh Thử", "identifier": "T03", "parent_id": cls.agency.id}
        )
        cls.department = Agency.create(
            {
                "name": "Sở Nội vụ Thử",
                "short_name": "SNV",
                "identifier": "T04",
                "parent_id": cls.agency.id,
            }
        )
        cls.agency.write({"clerk_office_id": cls.office.id, "collective_title": "ỦY BAN NHÂN DÂN"})
        cls.vice_chair = cls._user("ro_vice", "cchc_base.group_cchc_leader", cls.agency)
        cls.agency.leader_ids |= cls.vice_chair
        cls.office_clerk = cls._user("ro_vpclerk", "cchc_base.group_cchc_clerk", cls.office)
        cls.officer = cls._user("ro_snv", "cchc_base.group_cchc_user", cls.department)
        cls.director = cls._user("ro_gd", "cchc_base.group_cchc_leader", cls.department)
        cls.department.leader_ids = cls.director
        cls.dept_clerk = cls._user("ro_snvclerk", "cchc_base.group_cchc_clerk", cls.department)
        cls.foreign_clerk = cls._user("ro_oclerk", "cchc_base.group_cchc_clerk", cls.other_agency)
        # The vice-chairman signs with the demo leader key in these tests.
        cls.certs["leader"].user_id = cls.vice_chair

    # ------------------------------------------------------------------ helpers

    def _draft_vals(self, **vals):
        return {
            "name": "Quyết định ban hành quy chế (dự thảo của Sở Nội vụ)",
            "type_id": self.decision.id,
            "agency_id": self.agency.id,
            "pdf": b64(one_page_pdf("du thao")).decode(),
            "pdf_name": "du-thao.pdf",
            "signer_id": self.vice_chair.id,
            "signer_authority": "TM.KT.",
            "signer_title": "CHỦ TỊCH",
            "signer_position": "PHÓ CHỦ TỊCH",
            "recipients_text": "- Như Điều 3;\n- Lưu: VT, NC.",
            **vals,
        }

    def _ok(self, method, ids):
        """An action answered without an error (actions may return nothing)."""
        error = self.call_kw("cchc.document", method, [ids])[1]
        self.assertIsNone(error, f"{method} refused: {error and error.get('message')}")

    def _wizard(self, user, mode, certificate, doc):
        self.rpc_login(user)
        return self._rpc_sign(doc, mode, certificate)

    def _signed(self, **vals):
        Document = self.env["cchc.document"]
        doc = Document.with_user(self.officer).create(self._draft_vals(**vals))
        doc.action_submit()
        doc.with_user(self.vice_chair).action_approve()
        doc.with_user(self.vice_chair)._sign_as_leader(
            self.certs["leader"].with_user(self.vice_chair), PASSPHRASE
        )
        return doc

    # ------------------------------------------------------------------ tests

    def test_department_drafts_for_the_peoples_committee(self):
        Document = self.env["cchc.document"]
        self.rpc_login(self.officer)
        doc_id = self.assertRpcOk("cchc.document", "create", [self._draft_vals()])
        doc = Document.browse(doc_id)
        self.assertEqual((doc.agency_id, doc.drafting_agency_id), (self.agency, self.department))
        # The drafting agency is the server's: no client names another one.
        for context in (None, OLD_GUARD_KEYS):
            self.assertRpcRefused(
                "cchc.document",
                "create",
                [self._draft_vals(drafting_agency_id=self.other_agency.id)],
                context=context,
            )
            self.assertRpcRefused(
                "cchc.document",
                "write",
                [[doc_id], {"drafting_agency_id": self.other_agency.id}],
                context=context,
            )
        self.assertRpcOk("cchc.document", "write", [[doc_id], {"name": "Tờ trình và dự thảo"}])
        self._ok("action_submit", [doc_id])
        # The department's director is no leader of the People's Committee.
        self.rpc_login(self.director)
        found = self.assertRpcOk("cchc.document", "search", [[("id", "=", doc_id)]])
        self.assertEqual(found, [doc_id], "the drafting department's leader follows it")
        self.assertRpcRefused("cchc.document", "action_approve", [[doc_id]], error="AccessError")
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "review")
        # The vice-chairman approves and signs.
        self.rpc_login(self.vice_chair)
        self._ok("action_approve", [doc_id])
        self.assertIsNone(self._wizard(self.vice_chair, "leader", self.certs["leader"], doc)[1])
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        # The department's own clerk does not issue the People's Committee's documents; the
        # clerk of its office does, with its seal and in its register.
        for user in (self.dept_clerk, self.clerk, self.foreign_clerk):
            with self.subTest(user=user.login):
                self.assertIsNotNone(self._wizard(user, "seal", self.certs["seal"], doc)[1])
        doc.invalidate_recordset()
        self.assertEqual((doc.state, doc.number), ("signed", 0))
        self.assertIsNone(self._wizard(self.office_clerk, "seal", self.certs["seal"], doc)[1])
        doc.invalidate_recordset()
        self.assertEqual((doc.state, doc.code), ("issued", "01/QĐ-UBND"))
        self.assertEqual(doc.register_id.agency_id, self.agency)
        # The drafting department keeps reading what it drafted; others see nothing.
        self.rpc_login(self.officer)
        read = self.assertRpcOk("cchc.document", "read", [[doc_id], ["state", "code"]])
        self.assertEqual(read[0]["code"], "01/QĐ-UBND")
        signatures = self.assertRpcOk(
            "cchc.document.signature", "search_count", [[("document_id", "=", doc_id)]]
        )
        self.assertEqual(signatures, 2)
        self.rpc_login(self.outsider)
        self.assertRpcRefused("cchc.document", "read", [[doc_id], ["name"]])

    def test_the_office_clerk_serves_the_peoples_committee(self):
        draft = self.env["cchc.document"].create(self._draft_vals())
        self.rpc_login(self.office_clerk)
        found = self.assertRpcOk("cchc.document", "search", [[("agency_id", "=", self.agency.id)]])
        self.assertIn(draft.id, found)
        seals = self.assertRpcOk(
            "cchc.certificate", "search", [[("agency_id", "=", self.agency.id)]]
        )
        self.assertEqual(seals, self.certs["seal"].ids, "the seal, not the leaders' keys")
        # The signing dialog offers the People's Committee's seal.
        doc = self._signed()
        self.rpc_login(self.office_clerk)
        defaults = self.assertRpcOk(
            "cchc.document.sign",
            "default_get",
            [["mode", "document_id", "certificate_id"]],
            context={"default_mode": "seal", "default_document_id": doc.id},
        )
        self.assertEqual(defaults["certificate_id"], self.certs["seal"].id)
        # An incoming document of the People's Committee is registered by its office's clerk.
        incoming = self.env["cchc.document"].create(
            {
                "name": "Công văn đến",
                "type_id": self.decision.id,
                "direction": "in",
                "agency_id": self.other_agency.id,
                "receiving_agency_id": self.agency.id,
            }
        )
        self.rpc_login(self.dept_clerk)
        self.assertRpcRefused("cchc.document", "action_register_incoming", [[incoming.id]])
        self.rpc_login(self.office_clerk)
        self.assertRpcOk("cchc.document", "action_register_incoming", [[incoming.id]])
        registers = self.assertRpcOk(
            "cchc.document.register",
            "search_read",
            [[("agency_id", "=", self.agency.id)], ["direction", "next_number"]],
        )
        self.assertEqual({r["direction"] for r in registers}, {"in"})
        # Without a clerk office, the agency's own clerks serve it (and only they).
        self.agency.clerk_office_id = False
        self.rpc_login(self.office_clerk)
        self.assertEqual(self.assertRpcOk("cchc.document", "search", [[("id", "=", draft.id)]]), [])
        self.assertIsNotNone(self._wizard(self.office_clerk, "seal", self.certs["seal"], doc)[1])
        self.assertIsNone(self._wizard(self.clerk, "seal", self.certs["seal"], doc)[1])

    def test_signers_are_the_issuing_agencys_leaders(self):
        admin = self.env.ref("base.user_admin")
        self.rpc_login(self.officer)
        for signer in (admin, self.director, self.office_clerk, self.drafter):
            with self.subTest(signer=signer.login):
                message = self.assertRpcRefused(
                    "cchc.document", "create", [self._draft_vals(signer_id=signer.id)]
                )
                self.assertIn("not a leader of", message)
        doc_id = self.assertRpcOk("cchc.document", "create", [self._draft_vals()])
        allowed = self.assertRpcOk("cchc.document", "read", [[doc_id], ["allowed_signer_ids"]])
        self.assertEqual(
            sorted(allowed[0]["allowed_signer_ids"]), sorted((self.leader | self.vice_chair).ids)
        )
        self.assertRpcRefused("cchc.document", "write", [[doc_id], {"signer_id": admin.id}])
        # Changing the issuing agency keeps the rule: the signer must lead the new one.
        self.assertRpcRefused(
            "cchc.document", "write", [[doc_id], {"agency_id": self.department.id}]
        )
        self.assertRpcOk(
            "cchc.document",
            "write",
            [[doc_id], {"agency_id": self.department.id, "signer_id": self.director.id}],
        )

    def test_signature_block_as_decree_30_prescribes(self):
        doc = self.env["cchc.document"].create(self._draft_vals())
        cases = [
            (
                "TM.KT.",
                "CHỦ TỊCH",
                "PHÓ CHỦ TỊCH",
                "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH",
            ),
            ("TM.", "", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"),
            ("KT.", "GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"),
            ("Q.", "GIÁM ĐỐC", "", "Q. GIÁM ĐỐC"),
            ("TL.", "CHỦ TỊCH", "CHÁNH VĂN PHÒNG", "TL. CHỦ TỊCH\nCHÁNH VĂN PHÒNG"),
            ("TUQ.", "CHỦ TỊCH", "GIÁM ĐỐC SỞ NỘI VỤ", "TUQ. CHỦ TỊCH\nGIÁM ĐỐC SỞ NỘI VỤ"),
            ("", "", "CHỦ TỊCH", "CHỦ TỊCH"),
        ]
        for authority, title, position, block in cases:
            with self.subTest(authority=authority):
                doc.write(
                    {
                        "signer_authority": authority,
                        "signer_title": title,
                        "signer_position": position,
                    }
                )
                self.assertEqual(doc.signature_block, block)
        # The signature's appearance carries the same lines.
        doc.write(
            {
                "signer_authority": "TM.KT.",
                "signer_title": "CHỦ TỊCH",
                "signer_position": "PHÓ CHỦ TỊCH",
            }
        )
        appearance = doc.with_user(self.vice_chair)._leader_appearance()
        self.assertEqual(
            (appearance.on_behalf, appearance.position),
            ("TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"),
        )
        # Without the title signed for, KT. cannot go to the leader.
        self.rpc_login(self.officer)
        doc_id = self.assertRpcOk(
            "cchc.document", "create", [self._draft_vals(signer_authority="KT.", signer_title="")]
        )
        message = self.assertRpcRefused("cchc.document", "action_submit", [[doc_id]])
        self.assertIn("title signed for", message)

    def test_notation_from_the_unit_short_code_and_recipients_required(self):
        letter = self.env.ref("cchc_esign.document_type_cong_van")
        self.rpc_login(self.officer)
        for unit in ("Sở Nội vụ", "nc", "N C"):
            with self.subTest(unit=unit):
                message = self.assertRpcRefused(
                    "cchc.document",
                    "create",
                    [self._draft_vals(type_id=letter.id, drafting_unit=unit)],
                )
                self.assertIn("short code", message)
        doc_id = self.assertRpcOk(
            "cchc.document", "create", [self._draft_vals(type_id=letter.id, drafting_unit="NC")]
        )
        self.assertEqual(self.env["cchc.document"].browse(doc_id).notation, "UBND-NC")
        self.assertRpcRefused(
            "cchc.document", "write", [[doc_id], {"drafting_unit": "UBND-Sở Nội vụ"}]
        )
        # No recipient: not issued, no number taken, nothing sent.
        doc = self._signed(recipients_text=False)
        message = self._wizard(self.office_clerk, "seal", self.certs["seal"], doc)[1]["message"]
        self.assertIn("no recipient", message)
        doc.invalidate_recordset()
        self.assertEqual((doc.state, doc.number, doc.register_id.id), ("signed", 0, False))
        register = self.env["cchc.document.register"].search(
            [("agency_id", "=", self.agency.id), ("direction", "=", "out")]
        )
        self.assertFalse(register.filtered(lambda r: r.next_number > 1))
        # A document for paper recipients only is issued, but never sent "to everyone".
        paper = self._signed()
        self.assertIsNone(self._wizard(self.office_clerk, "seal", self.certs["seal"], paper)[1])
        paper.invalidate_recordset()
        self.assertEqual(paper.state, "issued")
        with self.assertRaisesRegex(UserError, "names no recipient agency"):
            paper._check_electronic_dispatch()
