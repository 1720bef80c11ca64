import base64
import tempfile

from cryptography.hazmat.primitives import serialization

from odoo import Command, api, fields, models

from odoo.addons.queue_job.job import Job

from cchc_core import pki

GUIDANCE_BODY = (
    "Thực hiện Kế hoạch cải cách hành chính năm của tỉnh, Sở Nội vụ hướng dẫn các sở, ban, "
    "ngành tỉnh tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm như sau:\n"
    "1. Cơ quan tự đánh giá, chấm điểm từng tiêu chí, tiêu chí thành phần trên hệ thống, kèm "
    "tài liệu kiểm chứng; tiêu chí không có tài liệu kiểm chứng phải giải trình rõ lý do.\n"
    "2. Thủ trưởng cơ quan gửi kết quả tự đánh giá trong thời hạn của đợt đánh giá.\n"
    "3. Hội đồng thẩm định xem xét, đề xuất điểm; cơ quan có ý kiến trong thời hạn thông báo."
)
REMINDER_BODY = (
    "Để tổng hợp báo cáo Ủy ban nhân dân tỉnh, Sở Nội vụ đề nghị các cơ quan gửi báo cáo kết "
    "quả thực hiện nhiệm vụ cải cách hành chính quý qua hệ thống quản lý văn bản đúng thời hạn "
    "quy định."
)
QUARTER_REPORT_BODY = (
    "Thực hiện Kế hoạch cải cách hành chính năm của tỉnh, Sở Tư pháp báo cáo kết quả thực hiện "
    "nhiệm vụ cải cách hành chính quý như sau:\n"
    "1. Công tác chỉ đạo, điều hành: ban hành kế hoạch, phân công nhiệm vụ cho các phòng.\n"
    "2. Cải cách thủ tục hành chính: 100% hồ sơ lý lịch tư pháp được tiếp nhận trực tuyến.\n"
    "3. Khó khăn, vướng mắc và đề xuất: không có."
)
PAPER_BODY = (
    "Sở Tư pháp đề nghị Đoàn Luật sư tỉnh phối hợp cử luật sư tham gia tuyên truyền, phổ biến "
    "pháp luật về thủ tục hành chính tại Trung tâm Phục vụ hành chính công tỉnh."
)


class CchcExchangeDemo(models.AbstractModel):
    """Demo data: this system's exchange key (from a demo CA made at installation, no key is
    ever committed), a partner province, and the issued demo document sent to its recipients."""

    _name = "cchc.exchange.demo"
    _description = "Demo exchange material"

    @api.model
    def _demo_setup(self, agency_id, passphrase):
        agency = self.env["cchc.agency"].browse(agency_id)
        pem = serialization.Encoding.PEM
        with tempfile.TemporaryDirectory() as directory:
            demo = pki.generate_demo_pki(directory, passphrase, agency=agency.name)
            self.env["cchc.trust.anchor"].create(
                [
                    {
                        "name": "CCHC Demo Exchange Root CA",
                        "kind": "root",
                        "certificate": base64.b64encode(demo.root.certificate.public_bytes(pem)),
                    },
                    {
                        "name": "CCHC Demo Exchange CA",
                        "kind": "intermediate",
                        "certificate": base64.b64encode(
                            demo.intermediate.certificate.public_bytes(pem)
                        ),
                        "crl": base64.b64encode(demo.crl.public_bytes(serialization.Encoding.DER)),
                    },
                ]
            )
            self.env["cchc.exchange.key"].create(
                {
                    "code": (agency.identifier or "DEMO").split(".")[0],
                    "pkcs12": base64.b64encode(demo.pkcs12("exchange")),
                    "passphrase": passphrase,
                }
            )
        partner = self.env["cchc.exchange.partner"].create(
            {
                "name": "Tỉnh Bến Tre (demo)",
                "code": "H56",
                "url": "https://vanban.example.gov.vn/cchc_esign/edxml",
            }
        )
        self.env["cchc.agency"].create(
            {
                "name": "UBND tỉnh Bến Tre (demo)",
                "identifier": "H56",
                "exchange_partner_id": partner.id,
            }
        )
        issued = self.env["cchc.document"].search(
            [
                ("direction", "=", "out"),
                ("state", "=", "issued"),
                ("agency_id", "=", agency.id),
                ("recipient_agency_ids", "!=", False),
                ("dispatch_ids", "=", False),
            ]
        )
        for doc in issued:
            # Queued jobs: the job runner delivers them when the demo server runs.
            doc._dispatch_electronically(doc.recipient_agency_ids)

    @api.model
    def _demo_department_documents(self, passphrase):
        """Departments issue documents of their own this year, as they do on the system: the
        officer drafts, the director approves and signs with his certificate, the seal issues
        and numbers it and it is sent at once to the recipient agencies of this system; one of
        Sở Tư pháp's goes on paper to an organisation outside it (the electronic-documents
        item of the reform index: Sở Nội vụ 2 of 2, Sở Tư pháp 1 of 2). The packages are
        delivered here, as the job runner would do it, so that the reform index's campaign
        (loaded later) measures them delivered; the recipients' statuses (01…) are left to the
        job runner of the demo server."""
        ref = self.env.ref
        noivu, tuphap = ref("cchc_demo.agency_so_noi_vu"), ref("cchc_demo.agency_so_tu_phap")
        year = fields.Date.context_today(self).year
        drafts = [
            (
                ref("cchc_demo.user_chuyenvien_noivu"),
                {
                    "name": "Hướng dẫn tự đánh giá, chấm điểm Chỉ số cải cách hành chính năm "
                    f"{year} của các sở, ban, ngành",
                    "type_id": ref("cchc_esign.document_type_huong_dan").id,
                    "drafting_unit": "CCHC",
                    "body": GUIDANCE_BODY,
                    "recipients_text": "- Như trên;\n- Lưu: VT, CCHC.",
                    "recipient_agency_ids": [
                        Command.set(
                            (
                                tuphap
                                | ref("cchc_demo.agency_so_khcn")
                                | ref("cchc_demo.agency_so_nnmt")
                            ).ids
                        )
                    ],
                },
            ),
            (
                ref("cchc_demo.user_chuyenvien_noivu"),
                {
                    "name": "Về việc gửi báo cáo cải cách hành chính quý qua hệ thống",
                    "type_id": ref("cchc_esign.document_type_cong_van").id,
                    "drafting_unit": "CCHC",
                    "body": REMINDER_BODY,
                    "recipients_text": "- Như trên;\n- Lưu: VT, CCHC.",
                    "recipient_agency_ids": [
                        Command.set((tuphap | ref("cchc_demo.agency_vp_ubnd")).ids)
                    ],
                },
            ),
            (
                ref("cchc_demo.user_chuyenvien_tuphap"),
                {
                    "name": "Báo cáo kết quả thực hiện nhiệm vụ cải cách hành chính quý III năm "
                    f"{year}",
                    "type_id": ref("cchc_esign.document_type_bao_cao").id,
                    "body": QUARTER_REPORT_BODY,
                    "recipients_text": "- Sở Nội vụ;\n- Lưu: VT.",
                    "recipient_agency_ids": [Command.set(noivu.ids)],
                },
            ),
            (
                ref("cchc_demo.user_chuyenvien_tuphap"),
                {
                    "name": "Về việc phối hợp tuyên truyền, phổ biến pháp luật về thủ tục hành "
                    "chính",
                    "type_id": ref("cchc_esign.document_type_cong_van").id,
                    "drafting_unit": "PBGDPL",
                    "body": PAPER_BODY,
                    # Outside the system: the clerk posts it (no recipient agency).
                    "recipients_text": "- Đoàn Luật sư tỉnh;\n- Lưu: VT, PBGDPL.",
                },
            ),
        ]
        Certificate = self.env["cchc.certificate"]
        Document = self.env["cchc.document"]
        issued = Document.browse()
        for officer, vals in drafts:
            agency = officer.cchc_agency_id
            leader = agency.leader_ids[:1]
            doc = Document.with_user(officer).create(
                {
                    **vals,
                    "agency_id": agency.id,
                    "signer_id": leader.id,
                    "signer_position": "GIÁM ĐỐC",
                    "place": "Vĩnh Long",
                }
            )
            doc.action_submit()
            doc = doc.with_user(leader)
            doc.action_approve()
            leader_cert = Certificate.search([("owner", "=", "user"), ("user_id", "=", leader.id)])
            doc._sign_as_leader(leader_cert.with_user(leader), passphrase)
            seal = Certificate.search([("owner", "=", "agency"), ("agency_id", "=", agency.id)])
            # The department's clerk (the demo has none: its administrator) issues it.
            doc = Document.browse(doc.id)
            doc._issue_with_seal(seal, passphrase)
            issued |= doc
        messages = self.env["cchc.exchange.message"].search(
            [
                ("document_id", "in", issued.ids),
                ("direction", "=", "out"),
                ("kind", "=", "document"),
            ]
        )
        for message in messages:
            # What the job runner does with the job (queue_job's RunJobController).
            job = Job.load(self.env, message.job_uuid)
            job.set_started()
            job.perform()
            job.set_done()
            job.store()
        return issued
