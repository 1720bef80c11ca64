from datetime import datetime, time

from odoo import api, models

from odoo.addons.cchc_base.tools.province_lang import in_province_lang

# A tiny PDF stands for the scans of the demo (digitised documents and results).
_SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

APPLICANTS = [
    {
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "086090001234",
        "applicant_phone": "0909 123 456",
        "applicant_address": "12 Lê Lợi, phường Thanh Đức, tỉnh Vĩnh Long",
    },
    {
        "applicant_name": "Trần Thị Bích Ngọc",
        "applicant_id_number": "086195004321",
        "applicant_phone": "0918 765 432",
        "applicant_address": "45 Phạm Thái Bường, phường Long Châu, tỉnh Vĩnh Long",
    },
    {
        "applicant_name": "Lê Hoàng Phúc",
        "applicant_id_number": "084088007777",
        "applicant_phone": "0939 222 333",
        "applicant_address": "Ấp Phú Hòa, xã Long Hồ, tỉnh Vĩnh Long",
    },
    {
        "applicant_name": "Phạm Thị Thu Hà",
        "applicant_id_number": "086301002468",
        "applicant_phone": "0977 111 999",
        "applicant_address": "8 Nguyễn Huệ, phường An Hội, tỉnh Vĩnh Long",
    },
]
COMPANY = {
    "applicant_kind": "business",
    "applicant_name": "Công ty Cổ phần Nông sản Cửu Long",
    "applicant_id_number": "1500123456",
    "applicant_representative": "Võ Minh Tuấn, Tổng Giám đốc",
    "applicant_phone": "0270 3822 888",
    "applicant_email": "lienhe@nongsancuulong.example",
    "applicant_address": "Khu công nghiệp Hòa Phú, xã Long Hồ, tỉnh Vĩnh Long",
}


class CchcOnestopDemo(models.AbstractModel):
    """Demo dossiers in every state, dated back from the day the demo is installed."""

    _name = "cchc.onestop.demo"
    _description = "One-stop demo data"

    @api.model
    def _demo_populate(self):
        # The desk works in Vietnamese: the steps, messages and forms of the demo too.
        env = in_province_lang(self.env)
        ref = env.ref
        Dossier = env["cchc.onestop.dossier"]
        clock = Dossier._clock()
        now = clock.now_local()
        calendar = clock.calendar
        today = now.date()
        if not calendar.is_working_day(today):
            today = calendar.add_working_days(today, -1)

        def at(days_ago, hour, minute=0):
            """Local ``hour:minute`` of the working day ``days_ago`` working days back (UTC)."""
            day = calendar.add_working_days(today, -days_ago)
            return clock.utc(datetime.combine(day, time(hour, minute)))

        def day(days_ago):
            return calendar.add_working_days(today, -days_ago)

        def receive(procedure, user, when, applicant, **vals):
            dossier = Dossier.with_user(user).create(
                {
                    "procedure_id": procedure.id,
                    "agency_id": user.cchc_agency_id.id,
                    **applicant,
                    **vals,
                }
            )
            dossier.document_ids.write({"provided": True})
            dossier._receive(at=when)
            return dossier.sudo()

        def finish(dossier, *moments):
            for moment in moments:
                dossier.current_step_id._finish(moment)

        def scan(dossier, result=False):
            # Owned by their dossier: whoever may read the dossier reads its scans, nobody else.
            owner = {"res_model": dossier._name, "res_id": dossier.id}
            attachments = env["ir.attachment"].create(
                [
                    {
                        "name": f"{line.name}.pdf",
                        "raw": _SCAN,
                        "mimetype": "application/pdf",
                        **owner,
                    }
                    for line in dossier.document_ids.filtered("provided")
                ]
            )
            for line, attachment in zip(
                dossier.document_ids.filtered("provided"), attachments, strict=True
            ):
                line.attachment_ids = attachment
            if result:
                dossier.result_attachment_ids = env["ir.attachment"].create(
                    {"name": "ket-qua.pdf", "raw": _SCAN, "mimetype": "application/pdf", **owner}
                )

        desk = ref("cchc_demo.user_motcua")
        commune_desk = ref("cchc_demo.user_motcua_thanhduc")
        record = ref("cchc_demo.procedure_judicial_record")
        an, ngoc, phuc, ha = APPLICANTS

        # Judicial records at the provincial public service centre.
        early = receive(record, desk, at(12, 8, 30), an)
        scan(early, result=True)
        finish(early, at(12, 10), at(6, 15), at(4, 9))
        early._resolve("approved", "Phiếu lý lịch tư pháp số 101/LLTP", at(3, 10))
        early._return(at(2, 9))
        early._rate(5, "Cán bộ hướng dẫn tận tình, trả kết quả sớm.", at(2, 9))

        late = receive(record, desk, at(16, 9), ngoc, channel="postal")
        finish(late, at(16, 10), at(8, 16))
        late._apologise(
            "Phải xác minh thông tin lý lịch tại Công an tỉnh.",
            day(3),
            ref("cchc_demo.agency_so_tu_phap"),
            at(6, 14),
        )
        finish(late, at(4, 9))
        late._resolve("approved", "Phiếu lý lịch tư pháp số 097/LLTP", at(4, 10))
        late._return(at(3, 9))
        late._rate(3, "Trễ hẹn nhưng có phiếu xin lỗi và hẹn lại.", at(3, 9))

        on_track = receive(record, desk, at(2, 8), phuc, channel="online")
        scan(on_track)
        finish(on_track, at(2, 9, 30))

        overdue = receive(record, desk, at(9, 14), ha)
        finish(overdue, at(9, 15))

        waiting = receive(record, desk, at(4, 9), dict(an, applicant_name="Đặng Văn Bình"))
        finish(waiting, at(4, 10))
        waiting._request_supplement(
            "Bản chụp Căn cước công dân đã hết hạn.",
            "Bản chụp Căn cước công dân còn hiệu lực",
            at(2, 10),
        )

        stopped = receive(record, desk, at(5, 9), dict(ngoc, applicant_name="Huỳnh Thị Mai"))
        finish(stopped, at(5, 10))
        stopped._close("stopped", "Người yêu cầu có văn bản đề nghị dừng giải quyết.", at(3, 9))

        withdrawn = receive(record, desk, at(3, 14), dict(phuc, applicant_name="Tô Văn Khánh"))
        withdrawn._close("withdrawn", "Công dân xin rút hồ sơ để bổ sung giấy tờ sau.", at(2, 8))

        refused = Dossier.with_user(desk).create(
            {
                "procedure_id": ref("cchc_demo.procedure_land_certificate").id,
                "agency_id": desk.cchc_agency_id.id,
                **dict(ha, applicant_name="Châu Văn Lợi"),
            }
        )
        refused.sudo()._refuse_at_receipt(
            "Thửa đất đang có tranh chấp, chưa đủ điều kiện đăng ký.", at(1, 9)
        )
        receive(record, desk, at(1, 10), dict(ngoc, applicant_name="Ông Văn Tài"), channel="online")
        # A dossier the desk is filling in now.
        Dossier.with_user(desk).create(
            {"procedure_id": record.id, "agency_id": desk.cchc_agency_id.id, **ha}
        )

        # The linked chain: investment policy → land allocation → land-use right certificate,
        # whose tax step is late.
        investment = receive(ref("cchc_demo.procedure_investment_policy"), desk, at(65, 9), COMPANY)
        scan(investment, result=True)
        finish(investment, at(65, 15), at(40, 16), at(38, 10))
        investment._resolve(
            "approved", "Quyết định chấp thuận chủ trương đầu tư số 1234/QĐ-UBND", at(31, 10)
        )
        investment._return(at(30, 9))
        investment._rate(4, at=at(30, 9))
        allocation = investment.next_dossier_ids
        finish(allocation, at(20, 10), at(18, 9))
        allocation._resolve("approved", "Quyết định giao đất số 567/QĐ-UBND", at(18, 10))
        allocation._return(at(17, 9))
        certificate = allocation.next_dossier_ids
        finish(certificate, at(11, 10))

        # The commune desk of phường Thanh Đức.
        birth = ref("cchc_demo.procedure_birth_registration")
        for days_ago, applicant in ((2, ngoc), (1, ha)):
            dossier = receive(birth, commune_desk, at(days_ago, 8), applicant, channel="online")
            scan(dossier, result=True)
            dossier._resolve("approved", "Giấy khai sinh bản chính", at(days_ago, 10))
            dossier._return(at(days_ago, 14))
            dossier._rate(5, at=at(days_ago, 14))
        receive(ref("cchc_demo.procedure_certified_copy"), commune_desk, at(1, 15), phuc)

        Dossier._cron_overdue_scan()
        env["cchc.indicator"].search(
            [("source_id.code", "=like", "cchc_onestop.%")]
        ).action_compute_current_quarter()
