"""What holds against any client: documents, registers, signatures and certificates, tried
through JSON-RPC as each role would, with and without the context keys that used to be guards.

The write cases are generated from the models' ``_cchc_protected_fields``: a field added there
is tried here without anyone writing a new test.
"""

import base64
import hashlib
import hmac
import json
import time

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.cchc_base.tests.rpc import OLD_GUARD_KEYS, RpcCase
from odoo.addons.cchc_base.tools.protect import unlocked

from .test_document import PASSPHRASE, SigningFixtures, b64, one_page_pdf

CONTEXTS = (None, OLD_GUARD_KEYS)


@tagged("post_install", "-at_install")
class TestEsignOverRpc(SigningFixtures, RpcCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()
        cls.leader2 = cls._user("es_leader2", "cchc_base.group_cchc_leader", cls.agency)
        cls.agency.leader_ids |= cls.leader2
        cls.other_clerk = cls._user("es_oclerk", "cchc_base.group_cchc_clerk", cls.other_agency)
        cls.onestop = cls._user("es_desk", "cchc_base.group_cchc_onestop", cls.other_agency)
        cls.home_affairs = cls.env["cchc.agency"].create({"name": "Sở Nội vụ Thử"})
        cls.coordinator = cls._user(
            "es_coord", "cchc_base.group_cchc_coordinator", cls.home_affairs
        )
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.cchc_agency_id = cls.agency
        # Everyone may export, so that what refuses another agency's records is the rules.
        everyone = cls.drafter | cls.outsider | cls.onestop | cls.other_clerk | cls.coordinator
        everyone.groups_id = [Command.link(cls.env.ref("base.group_allow_export").id)]

    def setUp(self):
        super().setUp()
        self.issued = self._issued_document()
        self.draft = self.env["cchc.document"].create(
            {
                "name": "Dự thảo",
                "type_id": self.decision.id,
                "agency_id": self.agency.id,
                "pdf": b64(one_page_pdf("du thao")),
                "pdf_name": "du-thao.pdf",
                "signer_id": self.leader.id,
                "signer_position": "CHỦ TỊCH",
            }
        )

    # ------------------------------------------------------------------ helpers

    def _login(self, user):
        if user == self.admin:
            self.authenticate("admin", "admin")
        else:
            self.rpc_login(user)

    def _snapshot(self, records):
        """What the database holds, read again from it (not from this test's cache)."""
        self.env.invalidate_all()
        names = [
            name
            for name, field in records._fields.items()
            if field.store and name not in ("write_date", "__last_update")
        ]
        return records.sudo().read(names)

    def _pdf_attachment(self, doc):
        return (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [("res_model", "=", doc._name), ("res_id", "=", doc.id), ("res_field", "=", "pdf")]
            )
        )

    def _forged_value(self, record, name):
        """A value a client might send for the field, different from the stored one."""
        field = record._fields[name]
        kind = field.type
        if kind == "selection":
            values = [v for v, _label in field._description_selection(self.env)]
            return next(v for v in values if v != record[name])
        if kind == "many2one":
            other = self.env[field.comodel_name].sudo().search([], order="id desc", limit=2)
            return (other - record[name])[:1].id or False
        if kind in ("one2many", "many2many"):
            return [Command.clear()]
        if kind == "integer":
            return (record[name] or 0) + 41
        if kind == "date":
            return "2001-02-03"
        if kind == "datetime":
            return "2001-02-03 04:05:06"
        if kind == "json":
            return {"forged": True}
        if kind == "binary":
            return b64(one_page_pdf("gia mao")).decode()
        return "GIẢ MẠO"

    def _csrf_token(self):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret")
        max_ts = int(time.time() + 3600)
        digest = hmac.new(
            secret.encode("ascii"), f"{self.session.sid}{max_ts}".encode(), hashlib.sha1
        ).hexdigest()
        return f"{digest}o{max_ts}"

    @mute_logger("odoo.addons.web.controllers.export")
    def _export_csv(self, docs):
        return self.url_open(
            "/web/export/csv",
            data={
                "data": json.dumps(
                    {
                        "model": "cchc.document",
                        "fields": [{"name": "name", "label": "Subject"}],
                        "ids": docs.ids,
                        "domain": [],
                        "import_compat": False,
                    }
                ),
                "csrf_token": self._csrf_token(),
            },
        )

    # ------------------------------------------------------------------ documents

    def test_protected_document_fields_refused_for_every_role(self):
        Document = self.env["cchc.document"]
        protected = sorted(Document._cchc_protected_fields)
        self.assertIn("state", protected)
        before = self._snapshot(self.issued | self.draft)
        for user in (self.drafter, self.leader, self.clerk, self.admin):
            self._login(user)
            for doc in (self.issued, self.draft):
                for name in protected:
                    for context in CONTEXTS:
                        with self.subTest(user=user.login, state=doc.state, field=name):
                            self.assertRpcRefused(
                                "cchc.document",
                                "write",
                                [[doc.id], {name: self._forged_value(doc, name)}],
                                context=context,
                                error="AccessError",
                            )
        self.assertEqual(self._snapshot(self.issued | self.draft), before)

    def test_protected_document_fields_refused_at_create(self):
        Document = self.env["cchc.document"]
        count = Document.sudo().search_count([])
        base = {
            "name": "Văn bản giả",
            "type_id": self.decision.id,
            "agency_id": self.agency.id,
        }
        for user in (self.drafter, self.clerk, self.admin):
            self._login(user)
            for name in sorted(Document._cchc_protected_fields):
                with self.subTest(user=user.login, field=name):
                    self.assertRpcRefused(
                        "cchc.document",
                        "create",
                        [dict(base, **{name: self._forged_value(self.draft, name)})],
                        context=OLD_GUARD_KEYS,
                    )
        self.assertEqual(Document.sudo().search_count([]), count)

    def test_protected_document_fields_refused_from_client_defaults(self):
        """A create fills what ``vals`` leaves out from the context's ``default_<field>`` keys
        and from ``ir.default`` (a user sets personal ones over RPC): neither passes a
        protected field, alone or repeating the typed value."""
        Document = self.env["cchc.document"]
        count = Document.sudo().search_count([])
        base = {"name": "Văn bản giả", "type_id": self.decision.id, "agency_id": self.agency.id}
        self._login(self.drafter)
        for name in sorted(Document._cchc_protected_fields):
            forged = self._forged_value(self.draft, name)
            with self.subTest(field=name):
                self.assertRpcRefused(
                    "cchc.document", "create", [base], context={f"default_{name}": forged}
                )
                self.assertRpcRefused(
                    "cchc.document",
                    "create",
                    [dict(base, **{name: forged})],
                    context={f"default_{name}": forged},
                )
        for name, value in (("state", "issued"), ("number", 7), ("verdict", "valid")):
            with self.subTest(ir_default=name):
                self.assertRpcOk("ir.default", "set", ["cchc.document", name, value, True])
                self.assertRpcRefused("cchc.document", "create", [base])
        self.assertEqual(Document.sudo().search_count([]), count)
        # The model's own defaults still apply: a draft is created.
        self.env["ir.default"].sudo().search([("user_id", "=", self.drafter.id)]).unlink()
        created = self.assertRpcOk("cchc.document", "create", [base])
        self.assertEqual(Document.browse(created).state, "draft")

    def test_the_leader_attack_is_refused_at_the_first_write(self):
        """The attack of the issue: back to draft, new PDF, number and verdict, issued again."""
        original_pdf = base64.b64decode(self.issued.pdf)
        before = self._snapshot(self.issued)
        attachment = self._pdf_attachment(self.issued)
        self.assertEqual(len(attachment), 1)
        forged = b64(one_page_pdf("QUYET DINH gia mao")).decode()
        self.rpc_login(self.leader)
        for context in CONTEXTS:
            for vals in (
                {"state": "draft"},
                {"pdf": forged, "number": 4, "verdict": "valid"},
                {"pdf": forged},
                {"state": "issued"},
                {"name": "Đổi tên", "place": "Nơi khác", "signer_id": self.leader2.id},
            ):
                self.assertRpcRefused(
                    "cchc.document", "write", [[self.issued.id], vals], context=context
                )
            self.assertRpcRefused(
                "ir.attachment", "write", [attachment.ids, {"datas": forged}], context=context
            )
            self.assertRpcRefused("ir.attachment", "unlink", [attachment.ids], context=context)
            self.assertRpcRefused(
                "ir.attachment",
                "create",
                [
                    {
                        "name": "qd.pdf",
                        "datas": forged,
                        "res_model": "cchc.document",
                        "res_id": self.issued.id,
                        "res_field": "pdf",
                    }
                ],
                context=context,
            )
        self.assertEqual(self._snapshot(self.issued), before)
        self.assertEqual(self._pdf_attachment(self.issued), attachment)
        # Both ways of downloading serve the signed bytes, nothing else.
        response = self.url_open(f"/cchc_esign/document/{self.issued.id}/pdf")
        self.assertEqual((response.status_code, response.content), (200, original_pdf))
        response = self.url_open(f"/web/content/{attachment.id}?download=true")
        self.assertEqual((response.status_code, response.content), (200, original_pdf))
        # What stays open on an issued document: one more recipient to send it to.
        self.rpc_login(self.drafter)
        self.assertRpcOk(
            "cchc.document",
            "write",
            [[self.issued.id], {"recipient_agency_ids": [Command.link(self.other_agency.id)]}],
        )
        self.issued.invalidate_recordset()
        self.assertEqual(self.issued.recipient_agency_ids, self.other_agency)

    def test_frozen_documents_refuse_even_the_administrator(self):
        incoming = self._registered_incoming()
        for doc in (self.issued, incoming):
            before = self._snapshot(doc)
            attachment = self._pdf_attachment(doc)
            for user in (self.admin, self.clerk):
                self._login(user)
                for vals in (
                    {"name": "Sửa"},
                    {"urgency": "express"},
                    {"annex_ids": [Command.clear()]},
                    {"pdf": b64(one_page_pdf("khac")).decode()},
                ):
                    with self.subTest(user=user.login, doc=doc.name, vals=list(vals)):
                        self.assertRpcRefused(
                            "cchc.document", "write", [[doc.id], vals], context=OLD_GUARD_KEYS
                        )
                self.assertRpcRefused(
                    "ir.attachment", "write", [attachment.ids, {"raw": "x"}], context=OLD_GUARD_KEYS
                )
                self.assertRpcRefused("ir.attachment", "unlink", [attachment.ids])
            self._login(self.admin)
            self.assertRpcRefused("cchc.document", "unlink", [[doc.id]], context=OLD_GUARD_KEYS)
            self.assertEqual(self._snapshot(doc), before)
            self.assertEqual(self._pdf_attachment(doc), attachment)
        with self.assertRaises(AccessError):
            self.issued.sudo().write({"name": "sudo cũng không"})

    def test_annexes_of_a_frozen_document_are_kept(self):
        doc = self._issued_document(
            annex_ids=[Command.create({"name": "phu-luc.txt", "raw": b"Phu luc I"})]
        )
        annex = doc.annex_ids
        self.assertEqual(len(annex), 1)
        self.draft.annex_ids = [Command.create({"name": "nhap.txt", "raw": b"nhap"})]
        self._login(self.admin)
        for context in CONTEXTS:
            for vals in (
                {"datas": base64.b64encode(b"Phu luc khac").decode()},
                {"name": "khac.txt"},
                {"res_id": 0},
            ):
                self.assertRpcRefused("ir.attachment", "write", [annex.ids, vals], context=context)
            self.assertRpcRefused("ir.attachment", "unlink", [annex.ids], context=context)
        self.env.invalidate_all()
        self.assertEqual((annex.exists().raw, annex.name), (b"Phu luc I", "phu-luc.txt"))
        # A draft's annexes still change.
        self.assertRpcOk(
            "ir.attachment",
            "write",
            [self.draft.annex_ids.ids, {"datas": base64.b64encode(b"moi").decode()}],
        )
        self.assertEqual(self.draft.annex_ids.raw, b"moi")

    def _registered_incoming(self):
        """A document received electronically, as the exchange creates and registers it."""
        with unlocked(self.env["cchc.document"]):
            doc = (
                self.env["cchc.document"]
                .sudo()
                .create(
                    {
                        "name": "Công văn đến điện tử",
                        "direction": "in",
                        "type_id": self.decision.id,
                        "agency_id": self.other_agency.id,
                        "receiving_agency_id": self.agency.id,
                        "pdf": b64(one_page_pdf("cong van den")),
                        "pdf_name": "den.pdf",
                        "issue_date": fields.Date.today(),
                    }
                )
            )
        doc.action_register_incoming()
        self.assertEqual(doc.state, "registered")
        return doc

    def test_received_document_is_frozen_for_the_receiving_clerk(self):
        incoming = self._registered_incoming()
        before = self._snapshot(incoming)
        self.rpc_login(self.clerk)
        for vals in (
            {"incoming_number": 7},
            {"received_date": "2001-01-01"},
            {"pdf": b64(one_page_pdf("khac")).decode()},
            {"name": "Đổi trích yếu"},
            {"state": "draft"},
            {"recipient_agency_ids": [Command.set([self.agency.id])]},
        ):
            for context in CONTEXTS:
                self.assertRpcRefused(
                    "cchc.document", "write", [[incoming.id], vals], context=context
                )
        self.assertEqual(self._snapshot(incoming), before)

    def test_other_agencies_see_nothing(self):
        secret = self._issued_document(confidentiality="secret")
        docs = self.issued | secret
        signatures = docs.signature_ids
        self.assertEqual(len(signatures), 4)
        registers = docs.register_id
        attachment = self._pdf_attachment(self.issued)
        for user in (self.outsider, self.onestop, self.other_clerk, self.coordinator):
            self._login(user)
            with self.subTest(user=user.login):
                for model, records, name in (
                    ("cchc.document", docs, "name"),
                    ("cchc.document.signature", signatures, "role"),
                    ("cchc.document.register", registers, "name"),
                ):
                    if model == "cchc.document.register" and user == self.coordinator:
                        continue  # the coordinator reads every register (numbers, not contents)
                    self.assertRpcRefused(model, "read", [records.ids, [name]])
                    found = self.assertRpcOk(
                        model, "search_read", [[("id", "in", records.ids)], [name]]
                    )
                    self.assertEqual(found, [])
                    groups = self.assertRpcOk(
                        model,
                        "read_group",
                        [[("id", "in", records.ids)], ["id:count"], []],
                        {"lazy": False},
                    )
                    self.assertEqual(groups[0]["__count"], 0)
                    if model != "cchc.document.signature":
                        names = self.assertRpcOk(
                            model, "name_search", [], {"name": "", "limit": 1000}
                        )
                        self.assertFalse({i for i, _n in names} & set(records.ids))
                    self.assertRpcRefused(model, "export_data", [records.ids, [name]])
                response = self._export_csv(docs)
                self.assertNotIn(self.issued.name, response.text)
                response = self.url_open(f"/web/content/{attachment.id}")
                self.assertIn(response.status_code, (403, 404))
                response = self.url_open(f"/cchc_esign/document/{self.issued.id}/pdf")
                self.assertIn(response.status_code, (403, 404))
        # The own agency's officer sees the documents and their signatures (and the export
        # above was refused by the rules, not by a missing CSRF token).
        self.rpc_login(self.drafter)
        response = self._export_csv(docs)
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.issued.name, response.text)
        found = self.assertRpcOk(
            "cchc.document.signature", "search_read", [[("id", "in", signatures.ids)], ["role"]]
        )
        self.assertEqual(len(found), 4)

    def test_transitions_check_role_and_state(self):
        doc = self._document()  # to sign, signer: the leader
        self.rpc_login(self.drafter)
        for method in ("_sign_as_leader", "_issue_with_seal", "_internal_write"):
            self.assertRpcRefused("cchc.document", method, [[doc.id], {}])
        with mute_logger("odoo.http"):  # no such method any more: a server error
            self.assertRpcRefused("cchc.document", "sign_as_leader", [[doc.id], 1, PASSPHRASE])
        draft = self.draft.with_user(self.drafter)
        draft.action_submit()
        self.assertRpcRefused("cchc.document", "action_approve", [[draft.id]])
        self.assertEqual(draft.state, "review")

        def sign(user, mode, certificate, document=doc):
            self.rpc_login(user)
            return self._rpc_sign(document, mode, certificate)

        # Another leader of the agency, even with his own certificate, is not the signer.
        own = self.certs["no_usage"]
        own.user_id = self.leader2
        error = sign(self.leader2, "leader", own)[1]
        self.assertIn("is the signer", error["message"])
        # The signer with someone else's certificate (the agency's seal) is refused.
        self.assertIsNotNone(sign(self.leader, "leader", self.certs["seal"])[1])
        self.assertEqual(doc.state, "to_sign")
        self.assertIsNone(sign(self.leader, "leader", self.certs["leader"])[1])
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")
        # The seal needs the clerk role of the issuing agency.
        for user in (self.drafter, self.leader, self.other_clerk):
            with self.subTest(user=user.login):
                self.assertIsNotNone(sign(user, "seal", self.certs["seal"])[1])
        doc.invalidate_recordset()
        self.assertEqual((doc.state, doc.number), ("signed", 0))
        self.assertIsNone(sign(self.clerk, "seal", self.certs["seal"])[1])
        doc.invalidate_recordset()
        self.assertEqual(doc.code, "02/QĐ-UBND", "the refused attempts took no number")

    def test_revocation_keeps_the_original_and_the_reason(self):
        pdf = self.issued.pdf
        for user in (self.drafter, self.clerk, self.outsider):
            self.rpc_login(user)
            self.assertRpcRefused("cchc.document", "action_revoke", [[self.issued.id], "lý do"])
        self.rpc_login(self.leader)
        self.assertRpcRefused("cchc.document", "action_revoke", [[self.issued.id], "  "])
        self.assertRpcRefused("cchc.document", "action_revoke", [[self.draft.id], "lý do"])
        self.assertRpcOk(
            "cchc.document", "action_revoke", [[self.issued.id], "Ban hành sai thẩm quyền"]
        )
        self.env.invalidate_all()
        doc = self.issued
        self.assertEqual(
            (doc.state, doc.revoke_reason, doc.revoked_by_id, doc.pdf, doc.code),
            ("revoked", "Ban hành sai thẩm quyền", self.leader, pdf, "01/QĐ-UBND"),
        )
        self.assertTrue(doc.message_ids.filtered(lambda m: "Ban hành sai thẩm quyền" in m.body))
        self.assertRpcRefused("cchc.document", "write", [[doc.id], {"state": "issued"}])
        self.assertRpcRefused("cchc.document", "action_revoke", [[doc.id], "lần nữa"])

    # ------------------------------------------------------------------ registers

    def test_registers_change_only_by_issuing(self):
        own = self.issued.register_id
        other = self.env["cchc.document.register"]._get_or_create_for(self.other_agency, own.year)
        self.assertEqual(own.next_number, 2)
        Register = self.env["cchc.document.register"]
        for name in sorted(Register._cchc_protected_fields):
            for user in (self.clerk, self.admin):
                self._login(user)
                for context in CONTEXTS:
                    self.assertRpcRefused(
                        "cchc.document.register",
                        "write",
                        [[own.id], {name: 1 if name == "next_number" else "X"}],
                        context=context,
                    )
        self.rpc_login(self.clerk)
        # A used register keeps its agency, year and series.
        self.assertRpcRefused("cchc.document.register", "write", [[own.id], {"year": 1999}])
        self.assertRpcRefused("cchc.document.register", "read", [other.ids, ["name"]])
        self.assertRpcRefused(
            "cchc.document.register",
            "write",
            [[other.id], {"secret": True}],
            context=OLD_GUARD_KEYS,
        )
        self.assertRpcRefused(
            "cchc.document.register",
            "create",
            [{"agency_id": self.other_agency.id, "year": 2031}],
            context=OLD_GUARD_KEYS,
        )
        self.assertRpcRefused(
            "cchc.document.register",
            "create",
            [{"agency_id": self.agency.id, "year": 2031, "next_number": 5}],
        )
        new_id = self.assertRpcOk(
            "cchc.document.register", "create", [{"agency_id": self.agency.id, "year": 2031}]
        )
        self.assertEqual(Register.browse(new_id).next_number, 1)
        self.rpc_login(self.drafter)
        self.assertRpcRefused(
            "cchc.document.register", "create", [{"agency_id": self.agency.id, "year": 2032}]
        )
        self.rpc_login(self.coordinator)
        self.assertEqual(
            len(self.assertRpcOk("cchc.document.register", "read", [(own | other).ids, ["name"]])),
            2,
        )
        self.assertRpcRefused("cchc.document.register", "write", [[other.id], {"secret": True}])
        self.env.invalidate_all()
        self.assertEqual((own.next_number, other.next_number, other.secret), (2, 1, False))
        second = self._issued_document()
        self.assertEqual(second.code, "02/QĐ-UBND")

    def test_register_numbers_are_read_as_the_register_and_written_by_no_client(self):
        own = self.issued.register_id
        Number = self.env["cchc.document.register.number"]
        numbers = Number.search([("register_id", "=", own.id)])
        self.assertEqual(numbers.mapped("number"), [1])
        mine = [[("register_id", "=", own.id)], ["number"]]
        for user in (self.drafter, self.clerk, self.leader, self.coordinator, self.admin):
            self._login(user)
            with self.subTest(user=user.login):
                rows = self.assertRpcOk("cchc.document.register.number", "search_read", mine)
                self.assertEqual([row["number"] for row in rows], [1])
                for context in CONTEXTS:
                    for method, args in (
                        ("write", [numbers.ids, {"number": 7}]),
                        ("unlink", [numbers.ids]),
                        ("create", [{"register_id": own.id, "number": 2}]),
                        ("create", [{"register_id": own.id, "number": 1}]),
                    ):
                        self.assertRpcRefused(
                            "cchc.document.register.number",
                            method,
                            args,
                            context=context,
                            error="AccessError",
                        )
        for user in (self.outsider, self.other_clerk):
            self.rpc_login(user)
            with self.subTest(user=user.login):
                self.assertRpcRefused(
                    "cchc.document.register.number", "read", [numbers.ids, ["number"]]
                )
                self.assertEqual(
                    self.assertRpcOk("cchc.document.register.number", "search_read", mine), []
                )
        # Server code outside the register's own methods may not rewrite them either.
        with self.assertRaises(AccessError):
            numbers.sudo().write({"number": 9})
        with self.assertRaises(AccessError):
            numbers.sudo().unlink()
        self.env.invalidate_all()
        self.assertEqual((numbers.number, own.next_number), (1, 2))
        self.assertEqual(Number.search_count([("register_id", "=", own.id)]), 1)
        second = self._issued_document()
        self.assertEqual(second.code, "02/QĐ-UBND")
        self.assertEqual(
            Number.search([("register_id", "=", own.id)], order="number").mapped("number"), [1, 2]
        )

    # ------------------------------------------------------------------ signatures, certificates

    def test_signatures_and_certificates_are_the_servers(self):
        signature = self.issued.signature_ids[:1]
        before = self._snapshot(signature)
        Signature = self.env["cchc.document.signature"]
        for user in (self.leader, self.clerk, self.admin):
            self._login(user)
            for name in sorted(Signature._cchc_protected_fields):
                self.assertRpcRefused(
                    "cchc.document.signature",
                    "write",
                    [signature.ids, {name: self._forged_value(signature, name)}],
                    context=OLD_GUARD_KEYS,
                )
            self.assertRpcRefused("cchc.document.signature", "unlink", [signature.ids])
            self.assertRpcRefused(
                "cchc.document.signature",
                "create",
                [
                    {
                        "document_id": self.draft.id,
                        "role": "leader",
                        "certificate_id": self.certs["leader"].id,
                        "user_id": user.id,
                    }
                ],
                context=OLD_GUARD_KEYS,
            )
        self.assertEqual(self._snapshot(signature), before)
        self.assertFalse(self.draft.signature_ids)
        with self.assertRaises(AccessError):
            signature.sudo().unlink()

        certificate = self.certs["leader"]
        Certificate = self.env["cchc.certificate"]
        before = self._snapshot(certificate)
        for user in (self.leader, self.admin):
            self._login(user)
            for name in sorted(Certificate._cchc_protected_fields):
                self.assertRpcRefused(
                    "cchc.certificate",
                    "write",
                    [certificate.ids, {name: self._forged_value(certificate, name)}],
                    context=OLD_GUARD_KEYS,
                )
            # A certificate that signed keeps what it certifies and is not deleted.
            for vals in (
                {"certificate": self.certs["expired"].certificate.decode()},
                {"user_id": self.leader2.id},
            ):
                self.assertRpcRefused("cchc.certificate", "write", [certificate.ids, vals])
            self.assertRpcRefused("cchc.certificate", "unlink", [certificate.ids])
        self.rpc_login(self.leader)
        self.assertRpcRefused("cchc.certificate", "write", [certificate.ids, {"active": False}])
        self.assertEqual(self._snapshot(certificate), before)
        self._login(self.admin)
        self.assertRpcOk("cchc.certificate", "write", [certificate.ids, {"active": False}])
        self.rpc_login(self.outsider)
        self.assertRpcRefused("cchc.certificate", "read", [certificate.ids, ["name"]])
        self.assertEqual(
            self.assertRpcOk(
                "cchc.certificate", "search", [[("id", "in", Certificate.search([]).ids)]]
            ),
            [],
        )
        # Trust anchors: read by everyone, changed by administrators only.
        for model_method, args in (
            ("write", [self.root.ids, {"name": "Khác"}]),
            ("unlink", [self.root.ids]),
            ("create", [{"name": "CA giả", "certificate": self.root.certificate.decode()}]),
        ):
            self.assertRpcRefused("cchc.trust.anchor", model_method, args, context=OLD_GUARD_KEYS)
        self.assertTrue(self.assertRpcOk("cchc.trust.anchor", "read", [self.root.ids, ["name"]]))
        self.root.invalidate_recordset()
        self.assertEqual(self.root.name, "Root")

    def test_wrong_passphrases_lock_the_key(self):
        certificate = self.certs["leader"]
        doc = self._document()
        self.rpc_login(self.leader)

        def attempt(passphrase):
            return self._rpc_sign(doc, "leader", certificate, passphrase)[1]

        for i in range(1, 6):
            error = attempt(f"sai-{i}")
            self.assertIsNotNone(error)
            certificate.invalidate_recordset()
            # The count survived the failed signing's rollback.
            self.assertEqual(certificate.failed_attempts, i)
        self.assertTrue(certificate.locked_on)
        self.assertIn("locked", error["message"])
        self.assertTrue(certificate.message_ids.filtered(lambda m: "5" in (m.body or "")))
        error = attempt(PASSPHRASE)
        self.assertIn("locked", error["message"])
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "to_sign")
        # The owner waits for the cool-down; the counter cannot be reset by a client.
        self.assertRpcRefused("cchc.certificate", "action_unlock", [certificate.ids])
        for context in CONTEXTS:
            self.assertRpcRefused(
                "cchc.certificate",
                "write",
                [certificate.ids, {"locked_on": False, "failed_attempts": 0}],
                context=context,
            )
        self._login(self.admin)
        self.assertRpcRefused("cchc.certificate", "write", [certificate.ids, {"locked_on": False}])
        self.assertRpcOk("cchc.certificate", "action_unlock", [certificate.ids])
        certificate.invalidate_recordset()
        self.assertEqual((certificate.locked_on, certificate.failed_attempts), (False, 0))
        self.rpc_login(self.leader)
        self.assertIsNone(attempt(PASSPHRASE))
        doc.invalidate_recordset()
        self.assertEqual(doc.state, "signed")

    def test_a_wrong_passphrase_keeps_the_dialog_open(self):
        """The dialog as the web client drives it: save the wizard and read it back, click Sign
        with what was typed. A wrong passphrase is a translated error and the same wizard signs
        once it is typed right: the leader never reopens the dialog."""
        self.env["res.lang"]._activate_lang("vi_VN")
        self.env["ir.module.module"]._load_module_terms(["cchc_esign"], ["vi_VN"], overwrite=True)
        certificate = self.certs["leader"]
        doc = self._document()
        before = self._snapshot(doc)
        self.rpc_login(self.leader)
        spec = {"passphrase": {}, "done": {}, "certificate_id": {}}
        saved = self.assertRpcOk(
            "cchc.document.sign",
            "web_save",
            [
                [],
                {
                    "document_id": doc.id,
                    "mode": "leader",
                    "certificate_id": certificate.id,
                    "passphrase": "sai-mat-khau",
                },
            ],
            {"specification": spec},
        )[0]
        # Read back in the same answer, the typed value is what the button hands over.
        self.assertEqual(saved["passphrase"], "sai-mat-khau")
        message = self.assertRpcRefused(
            "cchc.document.sign",
            "action_sign",
            [[saved["id"]]],
            context={"cchc_passphrase": saved["passphrase"], "lang": "vi_VN"},
            error="UserError",
        )
        # A sentence of its own: upper-case first letter, full stop.
        self.assertEqual(message, "Mật khẩu khóa không đúng hoặc tệp khóa bị hỏng.")
        self.assertEqual(self._snapshot(doc), before, "nothing signed, nothing written")
        self.assertFalse(doc.signature_ids)
        # The same wizard, typed again (the dialog saves the change and reads it back).
        wizard = self.assertRpcOk(
            "cchc.document.sign", "web_read", [[saved["id"]]], {"specification": spec}
        )[0]
        self.assertFalse(wizard["done"])
        self.assertEqual(wizard["certificate_id"], certificate.id)
        saved = self.assertRpcOk(
            "cchc.document.sign",
            "web_save",
            [[saved["id"]], {"passphrase": PASSPHRASE}],
            {"specification": spec},
        )[0]
        self.assertEqual(saved["passphrase"], PASSPHRASE)
        action = self.assertRpcOk(
            "cchc.document.sign",
            "action_sign",
            [[saved["id"]]],
            context={"cchc_passphrase": saved["passphrase"]},
        )
        self.assertEqual(action["type"], "ir.actions.act_window_close")
        doc.invalidate_recordset()
        self.assertEqual((doc.state, len(doc.signature_ids)), ("signed", 1))
        certificate.invalidate_recordset()
        self.assertEqual(certificate.failed_attempts, 0, "a right passphrase clears the count")

    def test_old_wrong_passphrases_fall_out_of_the_window(self):
        certificate = self.certs["leader"]
        with unlocked(certificate):
            certificate.write(
                {
                    "failed_attempts": 4,
                    "failed_since": fields.Datetime.subtract(fields.Datetime.now(), minutes=20),
                }
            )
        doc = self._document()
        self.rpc_login(self.leader)
        _result, error = self._rpc_sign(doc, "leader", certificate, "sai")
        self.assertIsNotNone(error)
        self.assertNotIn("locked", error["message"])
        certificate.invalidate_recordset()
        self.assertEqual((certificate.failed_attempts, certificate.locked_on), (1, False))
