from datetime import datetime, time

from odoo import api, models

from odoo.addons.cchc_base.tools.protect import unlocked
from odoo.addons.cchc_base.tools.province_lang import in_province_lang

_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
_SCORES = ("score_access", "score_procedure", "score_officer", "score_result", "score_feedback")


class CchcPortalDemo(models.AbstractModel):
    """The portal's demo: the citizen ``congdan`` with online dossiers in several states,
    ratings of returned dossiers and answered feedback."""

    _name = "cchc.portal.demo"
    _description = "Public portal demo data"

    @api.model
    def _demo_populate(self):
        env = in_province_lang(self.env)
        ref = env.ref
        Dossier = env["cchc.onestop.dossier"]
        Submission = env["cchc.portal.submission"]
        clock = Dossier._clock()
        calendar = clock.calendar
        today = clock.now_local().date()
        if not calendar.is_working_day(today):
            today = calendar.add_working_days(today, -1)

        def at(days_ago, hour, minute=0):
            day = calendar.add_working_days(today, -days_ago)
            return clock.utc(datetime.combine(day, time(hour, minute)))

        citizen = ref("cchc_demo.user_congdan")
        centre = ref("cchc_demo.agency_ttpvhcc")
        record = ref("cchc_demo.procedure_judicial_record")
        birth = ref("cchc_demo.procedure_birth_registration")

        def filed(procedure, agency, when):
            draft = Submission._portal_draft(citizen.partner_id, procedure)
            lines = draft.line_ids.filtered("required")
            draft._portal_save(
                {
                    "applicant_name": citizen.name,
                    "applicant_id_number": "086190001234",
                    "applicant_phone": "0912345678",
                    "applicant_email": citizen.email,
                    "applicant_address": "25 Phạm Thái Bường, phường Thanh Đức",
                    "agency_id": str(agency.id),
                },
                {
                    line.id: (f"{line.name[:30]}.pdf", _PDF if i else _PNG)
                    for i, line in enumerate(lines)
                },
            )
            dossier = draft._portal_submit()
            with unlocked(Dossier):
                dossier.write({"received_datetime": when})
            return draft, dossier

        def finish_all(dossier, when):
            for _step in dossier.step_ids.sorted("sequence")[:-1]:
                dossier.current_step_id._finish(when)

        # Returned, fully online, rated.
        _draft, done = filed(record, centre, at(9, 8, 30))
        done._receive()
        finish_all(done, at(4, 9))
        done.result_attachment_ids = env["ir.attachment"].create(
            {"name": "phieu-ly-lich-tu-phap.pdf", "raw": _PDF, "mimetype": "application/pdf"}
        )
        done._resolve("approved", "Phiếu lý lịch tư pháp số 120/LLTP", at(3, 10))
        done._return(at(2, 9))
        env["cchc.portal.rating"]._portal_rate(
            done,
            dict(zip(_SCORES, (5, 5, 4, 5, 4), strict=True)),
            "Nộp trực tuyến rất tiện.",
            "online",
        )
        # Supplement requested, to answer online.
        _draft, waiting = filed(record, centre, at(3, 14))
        waiting._receive()
        waiting.current_step_id._finish(at(2, 9))
        waiting._request_supplement(
            "Ảnh chụp Căn cước công dân bị mờ, không đọc được số định danh.",
            "Bản chụp Căn cước công dân rõ nét, đủ hai mặt",
            at(1, 10),
        )
        # Submitted, waiting at the desk of the commune.
        filed(birth, ref("cchc_demo.agency_px_thanh_duc"), at(0, 8))
        # Filed online with Sở Tư pháp itself (the procedure's competent agency) and received
        # there: the department's fully-online dossiers of the reform index.
        _draft, justice = filed(record, ref("cchc_demo.agency_so_tu_phap"), at(1, 9))
        justice._receive()
        # A draft to resume.
        Submission._portal_draft(citizen.partner_id, ref("cchc_demo.procedure_certified_copy"))

        # Kiosk ratings of the desk's returned dossiers (those without one).
        returned = Dossier.search([("state", "=", "returned"), ("portal_rating_id", "=", False)])
        marks = ((4, 5, 5, 4, 4), (3, 4, 3, 4, 3), (5, 5, 5, 5, 5), (4, 4, 5, 4, 4))
        # The first stays unrated: its rating page is open in the demo.
        for dossier, scores in zip(returned[1:], marks * 10, strict=False):
            env["cchc.portal.rating"]._portal_rate(
                dossier, dict(zip(_SCORES, scores, strict=True)), False, "kiosk"
            )

        # Feedback: one answered and published, one waiting.
        Feedback = env["cchc.portal.feedback"]
        answered = Feedback._portal_create(
            {
                "name": "Thời gian chờ tại quầy lý lịch tư pháp",
                "kind": "proposal",
                "agency_id": ref("cchc_demo.agency_so_tu_phap").id,
                "content": "Đề nghị bố trí thêm quầy tiếp nhận hồ sơ lý lịch tư pháp vào "
                "sáng thứ Hai.",
                "author_name": "Nguyễn Thị Lan",
            }
        )
        answered.answer = (
            "Từ tháng này Trung tâm bố trí thêm một quầy tiếp nhận vào sáng thứ Hai và "
            "khuyến khích nộp hồ sơ trực tuyến."
        )
        answered.action_answer()
        Feedback._portal_create(
            {
                "name": "Hướng dẫn chứng thực bản sao",
                "agency_id": ref("cchc_demo.agency_px_thanh_duc").id,
                "content": "Xin hướng dẫn chứng thực bản sao hợp đồng song ngữ.",
            }
        )
        return True
