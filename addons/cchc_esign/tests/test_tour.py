import base64
import tempfile

from cryptography.hazmat.primitives import serialization

from odoo.tests import HttpCase, new_test_user, tagged

from cchc_core.pki import generate_demo_pki

from .test_document import one_page_pdf


@tagged("post_install", "-at_install")
class TestSigningTour(HttpCase):
    """In Chromium: a drafter submits, the leader signs, the clerk issues; the panel says valid."""

    def test_submit_sign_issue(self):
        with tempfile.TemporaryDirectory() as directory:
            demo = generate_demo_pki(
                directory, "mat-khau-tour", agency="UBND tỉnh Tour", leader="Người Ký Tour"
            )
            pem = serialization.Encoding.PEM
            self.env["cchc.trust.anchor"].create(
                {
                    "name": "Root",
                    "kind": "root",
                    "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
                }
            )
            agency = self.env["cchc.agency"].create(
                {"name": "UBND tỉnh Tour", "identifier": "U01", "notation_code": "UBND"}
            )
            users = {}
            for login, group in (
                ("t_drafter", "cchc_base.group_cchc_user"),
                ("t_leader", "cchc_base.group_cchc_leader"),
                ("t_clerk", "cchc_base.group_cchc_clerk"),
            ):
                users[login] = new_test_user(
                    self.env, login=login, groups=f"base.group_user,{group}"
                )
                users[login].cchc_agency_id = agency
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
        doc = self.env["cchc.document"].create(
            {
                "name": "Quyết định tour",
                "agency_id": agency.id,
                "type_id": self.env.ref("cchc_esign.document_type_quyet_dinh").id,
                "signer_id": users["t_leader"].id,
                "signer_position": "CHỦ TỊCH",
                "recipients_text": "- Như trên;\n- Lưu: VT.",
                "pdf": base64.b64encode(one_page_pdf()),
                "pdf_name": "tour.pdf",
            }
        )
        url = "/odoo/action-cchc_esign.cchc_document_action"
        self.start_tour(url, "cchc_esign_drafter_submits", login="t_drafter")
        self.assertEqual(doc.state, "review")
        self.start_tour(url, "cchc_esign_leader_signs", login="t_leader")
        self.assertEqual((doc.state, doc.verdict), ("signed", "valid"))
        self.start_tour(url, "cchc_esign_clerk_issues", login="t_clerk")
        self.assertEqual((doc.state, doc.code, doc.verdict), ("issued", "01/QĐ-UBND", "valid"))
