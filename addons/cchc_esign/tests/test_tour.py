import base64
import tempfile

from cryptography.hazmat.primitives import serialization

from odoo.tests import HttpCase, new_test_user, tagged

from cchc_core.pki import generate_demo_pki

from .test_document import one_page_pdf

URL = "/odoo/action-cchc_esign.cchc_document_action"


@tagged("post_install", "-at_install")
class TestSigningTour(HttpCase):
    """In Chromium: a drafter submits, the leader signs, the clerk issues; the panel says valid."""

    def _province(self, clerk_office=False):
        """The People's Committee with its leader and seal; with ``clerk_office``, a Văn
        phòng whose clerk serves it and a department whose officer drafts for it."""
        directory = tempfile.TemporaryDirectory()
        self.addCleanup(directory.cleanup)
        demo = generate_demo_pki(
            directory.name, "mat-khau-tour", agency="UBND tỉnh Tour", leader="Người Ký Tour"
        )
        pem = serialization.Encoding.PEM
        self.env["cchc.trust.anchor"].create(
            {
                "name": "Root",
                "kind": "root",
                "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
            }
        )
        Agency = self.env["cchc.agency"]
        agency = Agency.create(
            {"name": "UBND tỉnh Tour", "identifier": "U01", "notation_code": "UBND"}
        )
        drafting = clerking = agency
        if clerk_office:
            clerking = Agency.create(
                {"name": "Văn phòng UBND Tour", "identifier": "U02", "parent_id": agency.id}
            )
            drafting = Agency.create(
                {"name": "Sở Nội vụ Tour", "identifier": "U03", "parent_id": agency.id}
            )
            agency.clerk_office_id = clerking
        users = {}
        for login, group, member_of in (
            ("t_drafter", "cchc_base.group_cchc_user", drafting),
            ("t_leader", "cchc_base.group_cchc_leader", agency),
            ("t_clerk", "cchc_base.group_cchc_clerk", clerking),
        ):
            users[login] = new_test_user(self.env, login=login, groups=f"base.group_user,{group}")
            users[login].cchc_agency_id = member_of
        agency.leader_ids = users["t_leader"]
        Certificate = self.env["cchc.certificate"]
        Certificate.create(
            {
                "owner": "user",
                "user_id": users["t_leader"].id,
                "certificate": base64.b64encode(demo.certificates["leader"].public_bytes(pem)),
                "pkcs12": base64.b64encode(demo.pkcs12("leader")),
            }
        )
        Certificate.create(
            {
                "owner": "agency",
                "agency_id": agency.id,
                "certificate": base64.b64encode(demo.certificates["seal"].public_bytes(pem)),
                "pkcs12": base64.b64encode(demo.pkcs12("seal")),
            }
        )
        doc = (
            self.env["cchc.document"]
            .with_user(users["t_drafter"])
            .create(
                {
                    "name": "Quyết định tour",
                    "agency_id": agency.id,
                    "type_id": self.env.ref("cchc_esign.document_type_quyet_dinh").id,
                    "signer_id": users["t_leader"].id,
                    "signer_authority": "TM.",
                    "signer_position": "CHỦ TỊCH",
                    "recipients_text": "- Như trên;\n- Lưu: VT.",
                    "pdf": base64.b64encode(one_page_pdf()),
                    "pdf_name": "tour.pdf",
                }
            )
        )
        return doc.sudo(), drafting

    def _play(self, doc):
        self.start_tour(URL, "cchc_esign_drafter_submits", login="t_drafter")
        self.assertEqual(doc.state, "review")
        # A mistyped passphrase first: the dialog stays open and signs once it is typed right.
        self.start_tour(URL, "cchc_esign_leader_signs", login="t_leader")
        self.assertEqual((doc.state, doc.verdict), ("signed", "valid"))
        self.assertEqual(len(doc.signature_ids), 1)
        self.start_tour(URL, "cchc_esign_clerk_issues", login="t_clerk")
        self.assertEqual((doc.state, doc.code, doc.verdict), ("issued", "01/QĐ-UBND", "valid"))

    def test_submit_sign_issue(self):
        doc, _drafting = self._province()
        self._play(doc)

    def test_department_drafts_chairman_signs_office_clerk_issues(self):
        """A Sở drafts for UBND tỉnh, its chairman signs, the clerk of its Văn phòng issues."""
        doc, drafting = self._province(clerk_office=True)
        self.assertEqual(doc.drafting_agency_id, drafting)
        self._play(doc)
        self.assertEqual(doc.register_id.agency_id, doc.agency_id)
