import base64
import io
import tempfile

from cryptography.hazmat.primitives import serialization
from reportlab.pdfgen import canvas

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from odoo.addons.cchc_base.tools.protect import unlocked

from cchc_core import pades
from cchc_core.pki import generate_demo_pki

PASSPHRASE = "mat-khau-thu"


def one_page_pdf(text="QUYET DINH ve viec thu nghiem"):
    out = io.BytesIO()
    page = canvas.Canvas(out, pageCompression=0)
    page.drawString(72, 760, text)
    page.showPage()
    page.save()
    return out.getvalue()


def b64(data):
    return base64.b64encode(data)


class SigningFixtures:
    """A demo CA, an agency with a drafter, a leader and a clerk, their certificates."""

    @classmethod
    def _setup_signing(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.addClassCleanup(cls.tmp.cleanup)
        cls.pki = generate_demo_pki(
            cls.tmp.name, PASSPHRASE, agency="UBND tỉnh Thử", leader="Nguyễn Văn An"
        )
        pem = serialization.Encoding.PEM
        Anchor = cls.env["cchc.trust.anchor"]
        cls.root = Anchor.create(
            {
                "name": "Root",
                "kind": "root",
                "certificate": b64(cls.pki.root.certificate.public_bytes(pem)),
            }
        )
        cls.intermediate = Anchor.create(
            {
                "name": "Signing CA",
                "kind": "intermediate",
                "certificate": b64(cls.pki.intermediate.certificate.public_bytes(pem)),
                "crl": b64(cls.pki.crl.public_bytes(serialization.Encoding.DER)),
            }
        )
        Agency = cls.env["cchc.agency"]
        cls.agency = Agency.create(
            {
                "name": "UBND tỉnh Thử",
                "short_name": "UBND",
                "identifier": "T01",
                "kind": "province_committee",
            }
        )
        cls.other_agency = Agency.create({"name": "Sở Khác", "identifier": "T02"})
        cls.drafter = cls._user("es_drafter", "cchc_base.group_cchc_user", cls.agency)
        cls.leader = cls._user("es_leader", "cchc_base.group_cchc_leader", cls.agency)
        cls.clerk = cls._user("es_clerk", "cchc_base.group_cchc_clerk", cls.agency)
        cls.outsider = cls._user("es_out", "cchc_base.group_cchc_user", cls.other_agency)
        cls.agency.leader_ids = cls.leader
        Certificate = cls.env["cchc.certificate"]
        cls.certs = {}
        for name, owner in (
            ("leader", cls.leader),
            ("seal", cls.agency),
            ("expired", cls.leader),
            ("revoked", cls.leader),
            ("no_usage", cls.leader),
        ):
            vals = {
                "certificate": b64(cls.pki.certificates[name].public_bytes(pem)),
                "pkcs12": b64(cls.pki.pkcs12(name)),
            }
            if name == "seal":
                vals.update(owner="agency", agency_id=owner.id)
            else:
                vals.update(owner="user", user_id=owner.id)
            cls.certs[name] = Certificate.create(vals)
        cls.decision = cls.env.ref("cchc_esign.document_type_quyet_dinh")

    @classmethod
    def _user(cls, login, group, agency):
        user = new_test_user(cls.env, login=login, groups=f"base.group_user,{group}")
        user.cchc_agency_id = agency
        return user

    def _issued_document(self, **vals):
        """A document signed by the leader and issued with the agency's seal."""
        doc = self._document(**vals)
        doc.with_user(self.leader)._sign_as_leader(
            self.certs["leader"].with_user(self.leader), PASSPHRASE
        )
        doc.with_user(self.clerk)._issue_with_seal(
            self.certs["seal"].with_user(self.clerk), PASSPHRASE
        )
        return doc

    def _document(self, **vals):
        doc = (
            self.env["cchc.document"]
            .with_user(self.drafter)
            .create(
                {
                    "name": "Quyết định thử nghiệm",
                    "type_id": self.decision.id,
                    "agency_id": self.agency.id,
                    "pdf": b64(one_page_pdf()),
                    "pdf_name": "qd.pdf",
                    "signer_id": self.leader.id,
                    "signer_authority": "KT.",
                    "signer_title": "CHỦ TỊCH",
                    "signer_position": "PHÓ CHỦ TỊCH",
                    "place": "Thử",
                    "recipients_text": "- Như Điều 3;\n- Lưu: VT.",
                    **vals,
                }
            )
        )
        doc.action_submit()
        doc.with_user(self.leader).action_approve()
        return doc

    def _rpc_sign(self, document, mode, certificate, passphrase=PASSPHRASE):
        """Sign over JSON-RPC as the dialog does, logged in as the signer (an ``RpcCase``): save
        the wizard, then click its button, which hands over the passphrase. ``(result, error)``
        of the first call refused, or of the button."""
        wizard, error = self.call_kw(
            "cchc.document.sign",
            "create",
            [
                {
                    "document_id": document.id,
                    "mode": mode,
                    "certificate_id": certificate.id,
                    "passphrase": passphrase,
                }
            ],
        )
        if error:
            return None, error
        return self.call_kw(
            "cchc.document.sign",
            "action_sign",
            [[wizard]],
            context={"cchc_passphrase": passphrase},
        )


@tagged("post_install", "-at_install")
class TestDocumentSigning(SigningFixtures, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._setup_signing()

    def _sign(self, doc, mode, user, certificate=None, passphrase=PASSPHRASE):
        wizard = (
            self.env["cchc.document.sign"]
            .with_user(user)
            .create(
                {
                    "document_id": doc.id,
                    "mode": mode,
                    "certificate_id": (
                        certificate or self.certs["leader" if mode == "leader" else "seal"]
                    ).id,
                }
            )
        )
        return wizard.with_context(cchc_passphrase=passphrase).action_sign()

    def test_sign_then_issue_keeps_both_signatures_valid(self):
        doc = self._document()
        self._sign(doc, "leader", self.leader)
        self.assertEqual(doc.state, "signed")
        self.assertEqual(doc.verdict, "valid")
        self._sign(doc, "seal", self.clerk)
        self.assertEqual(doc.state, "issued")
        self.assertEqual((doc.number, doc.code), (1, "01/QĐ-UBND"))
        self.assertEqual(doc.signature_ids.mapped("role"), ["leader", "seal"])
        report = pades.verify_pdf(
            base64.b64decode(doc.pdf), [self.pki.root.certificate], [self.pki.crl]
        )
        self.assertEqual([s.verdict for s in report.signatures], ["valid", "valid"])
        self.assertIn("KT. CHỦ TỊCH", report.signatures[0].reason or "")
        doc.action_verify()
        self.assertEqual(doc.verdict, "valid")
        second = self._document()
        self._sign(second, "leader", self.leader)
        self._sign(second, "seal", self.clerk)
        self.assertEqual(second.number, 2, "gapless per register")

    def test_dialog_signs_on_its_button_and_never_stores_the_passphrase(self):
        doc = self._document()
        # The dialog saves what was chosen (the typed passphrase comes along and is dropped).
        wizard = (
            self.env["cchc.document.sign"]
            .with_user(self.leader)
            .create(
                {
                    "document_id": doc.id,
                    "mode": "leader",
                    "certificate_id": self.certs["leader"].id,
                    "passphrase": PASSPHRASE,
                }
            )
        )
        self.assertFalse(wizard.done)
        self.assertEqual(doc.state, "to_sign", "saving the dialog signs nothing")
        with self.assertRaises(UserError):
            wizard.action_sign()  # the button without a passphrase
        wizard.with_context(cchc_passphrase=PASSPHRASE).action_sign()
        self.assertTrue(wizard.done)
        self.assertEqual(doc.state, "signed")
        wizard.with_context(cchc_passphrase=PASSPHRASE).action_sign()  # a second click
        self.assertEqual(len(doc.signature_ids), 1)
        self.env.cr.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s",
            ("cchc_document_sign",),
        )
        self.assertNotIn("passphrase", [row[0] for row in self.env.cr.fetchall()])

    def _token_cms(self, digest):
        """Play the USB token: a CMS over the digest, made with a key the test holds."""
        import asyncio

        from asn1crypto import keys
        from asn1crypto import x509 as asn1_x509
        from pyhanko.sign import signers
        from pyhanko_certvalidator.registry import SimpleCertificateStore

        token = self.pki.signer("leader")
        der = serialization.Encoding.DER
        remote = signers.SimpleSigner(
            signing_cert=asn1_x509.Certificate.load(token.certificate.public_bytes(der)),
            signing_key=keys.PrivateKeyInfo.load(
                token.private_key.private_bytes(
                    der, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
                )
            ),
            cert_registry=SimpleCertificateStore.from_certs(
                [asn1_x509.Certificate.load(c.public_bytes(der)) for c in token.chain]
            ),
        )
        return asyncio.run(remote.async_sign(digest, "sha256", use_pades=True)).dump()

    def test_external_signing_with_a_token(self):
        doc = self._document().with_user(self.leader)
        certificate = self.certs["leader"].with_user(self.leader)
        answer = doc._prepare_external_signature(certificate)
        digest = bytes.fromhex(answer["digest"])
        self.assertEqual((len(digest), answer["digest_algorithm"]), (32, "sha256"))
        with self.assertRaises(UserError):
            doc._finish_external_signature(b"not a signature")
        with self.assertRaises(UserError):
            doc._finish_external_signature(self._token_cms(b"\x01" * 32))
        self.assertEqual(doc.state, "to_sign")
        doc._finish_external_signature(self._token_cms(digest))
        self.assertEqual((doc.state, doc.verdict), ("signed", "valid"))
        self.assertEqual(doc.signature_ids.role, "leader")
        self.assertFalse(doc.sudo().external_state)
        self._sign(doc, "seal", self.clerk)
        self.assertEqual(doc.verdict, "valid")

    def test_time_stamped_signatures(self):
        from unittest.mock import patch

        tsa = pades.local_timestamper(self.pki.tsa_certificate, self.pki.tsa_key, self.pki.chain)
        doc = self._document()
        with patch.object(type(doc), "_cchc_timestamper", lambda _self: tsa):
            self._sign(doc, "leader", self.leader)
            self._sign(doc, "seal", self.clerk)
        report = pades.verify_pdf(base64.b64decode(doc.pdf), [self.pki.root.certificate])
        self.assertEqual([s.verdict for s in report.signatures], ["valid", "valid"])
        self.assertTrue(all(s.timestamp and s.timestamp_valid for s in report.signatures))
        self.assertEqual(doc.verdict, "valid")

    def test_signature_images_and_dispatch_rules(self):
        from PIL import Image

        def png(color):
            out = io.BytesIO()
            Image.new("RGB", (120, 60), color).save(out, "PNG")
            return b64(out.getvalue())

        self.leader.cchc_signature_image = png("blue")
        self.agency.seal_image = png("red")
        to_other = [Command.set(self.other_agency.ids)]
        # Issued to "Nơi nhận" only: with cchc_exchange installed, recipient agencies at issue
        # would be dispatched at once (that needs an exchange key, tested there).
        doc = self._document()
        with self.assertRaises(UserError):
            doc._check_electronic_dispatch()  # not issued yet
        self._sign(doc, "leader", self.leader)
        self._sign(doc, "seal", self.clerk)
        self.assertEqual(base64.b64decode(doc.pdf).count(b"/Subtype /Image"), 2)
        self.assertEqual(doc.verdict, "valid")
        with self.assertRaises(UserError):
            doc._check_electronic_dispatch()  # no recipient agency to send to
        doc.recipient_agency_ids = to_other  # recipients may be added after issuing
        doc._check_electronic_dispatch()
        secret = self._document(confidentiality="secret", recipient_agency_ids=to_other)
        self._sign(secret, "leader", self.leader)
        self._sign(secret, "seal", self.clerk)
        with self.assertRaisesRegex(UserError, "secret"):
            secret._check_electronic_dispatch()

    def test_a_document_is_numbered_once(self):
        doc = self._document()
        self._sign(doc, "leader", self.leader)
        self._sign(doc, "seal", self.clerk)
        with self.assertRaises(UserError):
            self._sign(doc, "seal", self.clerk)
        self.assertEqual((doc.number, doc.register_id.next_number), (1, 2))

    def test_incoming_register(self):
        import openpyxl

        incoming = (
            self.env["cchc.document"]
            .with_user(self.clerk)
            .create(
                [
                    {
                        "name": f"Công văn đến {i}",
                        "direction": "in",
                        "type_id": self.decision.id,
                        "agency_id": self.other_agency.id,
                        "receiving_agency_id": self.agency.id,
                    }
                    for i in (1, 2)
                ]
            )
        )
        incoming.action_register_incoming()
        self.assertEqual(incoming.mapped("incoming_number"), [1, 2])
        self.assertEqual(set(incoming.mapped("state")), {"registered"})
        with self.assertRaises(UserError):
            incoming[0].action_register_incoming()
        self.assertEqual(
            self.env["cchc.document"].with_user(self.drafter).search([("direction", "=", "in")]),
            incoming,
            "the receiving agency sees what it received",
        )
        outgoing = self._document()
        with self.assertRaises(UserError):
            outgoing.action_register_incoming()
        # The incoming register as the clerk prints it.
        data = (
            self.env["ir.actions.report"]
            .with_user(self.clerk)
            ._render_xlsx(
                "cchc_esign.document_register_xlsx", incoming[0].incoming_register_id.ids, None
            )[0]
        )
        sheet = openpyxl.load_workbook(io.BytesIO(data)).active
        self.assertEqual(sheet.cell(5, 3).value, "Quyết định (cá biệt): Công văn đến 1")
        self.assertEqual(sheet.cell(6, 1).value.split()[0], "2")

    def test_secret_documents_have_their_own_series(self):
        doc = self._document(confidentiality="secret")
        self._sign(doc, "leader", self.leader)
        self._sign(doc, "seal", self.clerk)
        self.assertTrue(doc.register_id.secret)
        self.assertEqual(doc.number, 1)
        normal = self._document()
        self._sign(normal, "leader", self.leader)
        self._sign(normal, "seal", self.clerk)
        self.assertEqual(normal.number, 1)
        self.assertNotEqual(normal.register_id, doc.register_id)

    def test_bad_keys_and_certificates_refused_without_trace(self):
        doc = self._document()
        original = doc.pdf
        for certificate, passphrase in (
            (self.certs["leader"], "sai-mat-khau"),
            (self.certs["expired"], PASSPHRASE),
            (self.certs["revoked"], PASSPHRASE),
            (self.certs["no_usage"], PASSPHRASE),
        ):
            with self.subTest(cert=certificate.name, passphrase=passphrase):
                with self.assertRaises(UserError):
                    self._sign(doc, "leader", self.leader, certificate, passphrase)
        self.assertEqual((doc.state, doc.pdf, doc.verdict), ("to_sign", original, False))
        self.assertFalse(doc.signature_ids)

    def test_untrusted_chain_refused(self):
        (self.root | self.intermediate).active = False
        doc = self._document()
        with self.assertRaises(UserError):
            self._sign(doc, "leader", self.leader)
        self.assertEqual(doc.state, "to_sign")

    def test_signed_document_is_immutable_and_checked(self):
        doc = self._document()
        self._sign(doc, "leader", self.leader)
        with self.assertRaises(UserError):
            doc.pdf = b64(one_page_pdf("khac"))
        with self.assertRaises(UserError):
            doc.with_user(self.clerk).confidentiality = "secret"
        # Bytes changed behind the application's back: every read of the PDF refuses them.
        tampered = base64.b64decode(doc.pdf).replace(b"thu nghiem", b"thu nghiex")
        with unlocked(doc):
            doc.pdf = b64(tampered)
        with self.assertRaises(UserError):
            doc.action_verify()

    def test_bad_files_refused(self):
        for data in (b"not a pdf", b"%PDF-1.7 broken"):
            with self.subTest(data=data), self.assertRaises(ValidationError):
                self.env["cchc.document"].create(
                    {
                        "name": "Sai",
                        "type_id": self.decision.id,
                        "agency_id": self.agency.id,
                        "pdf": b64(data),
                    }
                )

    def test_only_the_signer_and_the_agency_clerk(self):
        doc = self._document()
        with self.assertRaises(AccessError):
            self._sign(doc, "leader", self.clerk, self.certs["leader"])
        self._sign(doc, "leader", self.leader)
        with self.assertRaises(UserError):
            self._sign(doc, "leader", self.leader)
        self.assertFalse(
            self.env["cchc.document"].with_user(self.outsider).search([("id", "=", doc.id)])
        )
