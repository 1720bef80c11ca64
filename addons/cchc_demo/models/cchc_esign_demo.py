import base64
import tempfile

from cryptography.hazmat.primitives import serialization

from odoo import Command, api, fields, models

from cchc_core import pki

DECISION_BODY = (
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
    "văn thư;\n"
    "Theo đề nghị của Giám đốc Sở Nội vụ.\n"
    "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch cải cách hành chính năm của tỉnh.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký.\n"
    "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành tỉnh, Chủ tịch "
    "Ủy ban nhân dân các xã, phường chịu trách nhiệm thi hành Quyết định này."
)
REMINDER_BODY = (
    "Thực hiện Kế hoạch cải cách hành chính năm của tỉnh, Ủy ban nhân dân tỉnh đề nghị các sở, "
    "ban, ngành tỉnh và Ủy ban nhân dân các xã, phường gửi báo cáo kết quả thực hiện nhiệm vụ "
    "cải cách hành chính quý về Sở Nội vụ đúng thời hạn quy định để tổng hợp, báo cáo Ủy ban "
    "nhân dân tỉnh."
)
RULES_BODY = (
    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác "
    "văn thư;\n"
    "Theo đề nghị của Giám đốc Sở Nội vụ.\n"
    "Điều 1. Ban hành kèm theo Quyết định này Quy chế công tác văn thư của các cơ quan, đơn vị "
    "thuộc tỉnh.\n"
    "Điều 2. Quyết định này có hiệu lực kể từ ngày ký."
)


class CchcDemoSigning(models.AbstractModel):
    """Demo data: a demo CA made at installation (no key is ever committed)."""

    _name = "cchc.esign.demo"
    _description = "Demo signing material"

    @api.model
    def _demo_setup(self, leader_id, agency_id, passphrase, department_ids=()):
        """``department_ids``: departments whose leader and seal also get a certificate of the
        demo CA (they sign and issue their own documents, cchc.exchange.demo)."""
        ser = serialization

        leader = self.env["res.users"].browse(leader_id)
        agency = self.env["cchc.agency"].browse(agency_id)
        with tempfile.TemporaryDirectory() as directory:
            demo = pki.generate_demo_pki(
                directory, passphrase, agency=agency.name, leader=leader.name
            )
            pem = ser.Encoding.PEM
            self.env["cchc.trust.anchor"].create(
                [
                    {
                        "name": "CCHC Demo Root CA",
                        "kind": "root",
                        "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
                        # The root's own CRL covers the intermediate, as a real hierarchy
                        # publishes it: B-LT signatures then validate offline in strict tools.
                        "crl": base64.b64encode(demo.root_crl.public_bytes(ser.Encoding.DER)),
                    },
                    {
                        "name": "CCHC Demo Signing CA",
                        "kind": "intermediate",
                        "certificate": base64.b64encode(
                            demo.intermediate.certificate.public_bytes(pem)
                        ),
                        "crl": base64.b64encode(demo.crl.public_bytes(ser.Encoding.DER)),
                    },
                ]
            )
            Certificate = self.env["cchc.certificate"]
            leader_cert = Certificate.create(
                {
                    "owner": "user",
                    "user_id": leader.id,
                    "certificate": base64.b64encode(demo.certificates["leader"].public_bytes(pem)),
                    "pkcs12": base64.b64encode(demo.pkcs12("leader")),
                }
            )
            seal_cert = Certificate.create(
                {
                    "owner": "agency",
                    "agency_id": agency.id,
                    "certificate": base64.b64encode(demo.certificates["seal"].public_bytes(pem)),
                    "pkcs12": base64.b64encode(demo.pkcs12("seal")),
                }
            )
            self._demo_department_certificates(demo, department_ids, passphrase)
        recipients = self.env["cchc.agency"].search(
            [("parent_id", "=", agency.id), ("identifier", "!=", False)], limit=3
        )
        Document = self.env["cchc.document"]
        doc = Document.create(
            {
                "name": "Ban hành Kế hoạch cải cách hành chính năm "
                f"{fields.Date.context_today(self).year}",
                "type_id": self.env.ref("cchc_esign.document_type_quyet_dinh").id,
                "agency_id": agency.id,
                "signer_id": leader.id,
                "signer_authority": "TM.",
                "signer_position": "CHỦ TỊCH",
                "place": "Vĩnh Long",
                # Laid out from its content at submission (Nghị định 30/2020 Phụ lục I).
                "body": DECISION_BODY,
                "recipients_text": "- Như Điều 3;\n- Lưu: VT, NC.",
            }
        )
        doc.action_submit()
        doc.action_approve()
        doc.with_user(leader)._sign_as_leader(leader_cert.with_user(leader), passphrase)
        doc._issue_with_seal(seal_cert, passphrase)
        # The recipients come after the issue, as a clerk may add them: issued with them, the
        # decision would be sent at once, before the exchange demo gives this system its key;
        # that demo sends it.
        doc.recipient_agency_ids = recipients
        pending = Document.create(
            {
                "name": "Công văn đôn đốc báo cáo cải cách hành chính quý",
                "type_id": self.env.ref("cchc_esign.document_type_cong_van").id,
                "agency_id": agency.id,
                "drafting_unit": "NC",
                "signer_id": leader.id,
                "signer_position": "CHỦ TỊCH",
                "place": "Vĩnh Long",
                "body": REMINDER_BODY,
            }
        )
        pending.action_submit()
        pending.action_approve()
        # A department drafts for the People's Committee: Sở Nội vụ's officer submitted a
        # decision of UBND tỉnh; the chairman approves and signs it, the clerk of Văn phòng
        # UBND tỉnh numbers and issues it.
        officer = self.env.ref("cchc_demo.user_chuyenvien_noivu", raise_if_not_found=False)
        if officer:
            drafted = Document.with_user(officer).create(
                {
                    "name": "Ban hành Quy chế công tác văn thư (dự thảo của Sở Nội vụ)",
                    "type_id": self.env.ref("cchc_esign.document_type_quyet_dinh").id,
                    "agency_id": agency.id,
                    "signer_id": leader.id,
                    "signer_authority": "TM.",
                    "signer_position": "CHỦ TỊCH",
                    "place": "Vĩnh Long",
                    "body": RULES_BODY,
                    "recipients_text": "- Như Điều 3;\n- Lưu: VT, NC.",
                    "recipient_agency_ids": [Command.set(recipients.ids)],
                }
            )
            drafted.action_submit()

    @api.model
    def _demo_department_certificates(self, demo, department_ids, passphrase):
        """A certificate for the (first) leader of each department and one for its seal,
        issued by the demo CA's intermediate, as a province's CA issues them to each agency."""
        chain = list(demo.chain)
        Certificate = self.env["cchc.certificate"]
        for department in self.env["cchc.agency"].browse(department_ids):
            leader = department.leader_ids[:1]
            holders = [("agency", department.name, {"agency_id": department.id})]
            if leader:
                holders.insert(0, ("user", leader.name, {"user_id": leader.id}))
            for owner, common_name, vals in holders:
                certificate, key = pki.issue_certificate(
                    demo.intermediate, common_name, organization=department.name
                )
                Certificate.create(
                    {
                        "owner": owner,
                        **vals,
                        "certificate": base64.b64encode(
                            certificate.public_bytes(serialization.Encoding.PEM)
                        ),
                        "pkcs12": base64.b64encode(
                            pki.export_pkcs12(certificate, key, passphrase, chain)
                        ),
                    }
                )
